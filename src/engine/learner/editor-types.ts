// Type declarations the editor gives learner code: the `dojo` module (env) and the node: modules a process offers.
import serviceTypes from '../services/types.ts?raw';

/** `import type { Env } from 'dojo'`: the backing-service interfaces, exactly as the engine defines them. */
export const DOJO_TYPES = `declare module 'dojo' {\n${serviceTypes}\n}\n`;

/**
 * The subset of Node's modules a kata's processes provide (see katas/README.md). Reads give
 * `Uint8Array<ArrayBuffer>`, as the process's disk (src/engine/process/memfs.ts) returns a fresh copy over a plain
 * ArrayBuffer: `new Response(readFileSync(file))` type-checks as it runs.
 */
export const NODE_TYPES = `
type FsData = string | Uint8Array | ArrayBuffer | ArrayBufferView;
type FsEncoding = BufferEncoding | { encoding?: BufferEncoding | null } | null;
type BufferEncoding = 'utf8' | 'utf-8';
interface DojoStats { size: number; mtimeMs: number; mtime: Date; isFile(): boolean; isDirectory(): boolean; }
interface DojoFsPromises {
  readFile(path: string): Promise<Uint8Array<ArrayBuffer>>;
  readFile(path: string, encoding: BufferEncoding | { encoding: BufferEncoding }): Promise<string>;
  writeFile(path: string, data: FsData): Promise<void>;
  appendFile(path: string, data: FsData): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<string | undefined>;
  readdir(path: string): Promise<string[]>;
  stat(path: string): Promise<DojoStats>;
  unlink(path: string): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  access(path: string): Promise<void>;
}
declare module 'node:fs' {
  export function existsSync(path: string): boolean;
  export function readFileSync(path: string): Uint8Array<ArrayBuffer>;
  export function readFileSync(path: string, encoding: BufferEncoding | { encoding: BufferEncoding }): string;
  export function writeFileSync(path: string, data: FsData): void;
  export function appendFileSync(path: string, data: FsData): void;
  export function mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined;
  export function readdirSync(path: string): string[];
  export function statSync(path: string): DojoStats;
  export function unlinkSync(path: string): void;
  export function rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  export function renameSync(from: string, to: string): void;
  export function copyFileSync(from: string, to: string): void;
  export function accessSync(path: string): void;
  export const promises: DojoFsPromises;
  const fs: { existsSync: typeof existsSync; readFileSync: typeof readFileSync; writeFileSync: typeof writeFileSync; appendFileSync: typeof appendFileSync; mkdirSync: typeof mkdirSync; readdirSync: typeof readdirSync; statSync: typeof statSync; unlinkSync: typeof unlinkSync; rmSync: typeof rmSync; renameSync: typeof renameSync; copyFileSync: typeof copyFileSync; accessSync: typeof accessSync; promises: DojoFsPromises };
  export default fs;
}
declare module 'fs' { export * from 'node:fs'; export { default } from 'node:fs'; }
declare module 'node:fs/promises' { const promises: DojoFsPromises; export = promises; }
declare module 'fs/promises' { const promises: DojoFsPromises; export = promises; }
declare module 'node:path' {
  export const sep: '/';
  export function join(...parts: string[]): string;
  export function resolve(...parts: string[]): string;
  export function normalize(path: string): string;
  export function dirname(path: string): string;
  export function basename(path: string, ext?: string): string;
  export function extname(path: string): string;
  export function relative(from: string, to: string): string;
  export function isAbsolute(path: string): boolean;
  const path: { sep: '/'; join: typeof join; resolve: typeof resolve; normalize: typeof normalize; dirname: typeof dirname; basename: typeof basename; extname: typeof extname; relative: typeof relative; isAbsolute: typeof isAbsolute };
  export default path;
}
declare module 'path' { export * from 'node:path'; export { default } from 'node:path'; }
declare module 'node:crypto' {
  export function randomUUID(): string;
  export function getRandomValues<T extends ArrayBufferView>(array: T): T;
  export const webcrypto: Crypto;
  export const subtle: SubtleCrypto;
}
declare module 'crypto' { export * from 'node:crypto'; }
/** Timers run on the test's virtual clock: they fire when the test moves time (or when a request waits on them). */
declare function setImmediate<A extends unknown[]>(callback: (...args: A) => void, ...args: A): number;
declare function clearImmediate(handle: number | undefined): void;
declare module 'node:timers/promises' {
  /** resolves with \`value\` after \`ms\` milliseconds of virtual time */
  export function setTimeout<T = void>(ms?: number, value?: T): Promise<T>;
  export function setImmediate<T = void>(value?: T): Promise<T>;
  /** \`for await (const _ of setInterval(1000))\`: one turn per interval */
  export function setInterval<T = void>(ms?: number, value?: T): AsyncIterable<T>;
  export const scheduler: { wait(ms: number): Promise<void>; yield(): Promise<void> };
}
declare module 'timers/promises' { export * from 'node:timers/promises'; }
declare module 'node:timers' {
  export const setTimeout: typeof globalThis.setTimeout;
  export const clearTimeout: typeof globalThis.clearTimeout;
  export const setInterval: typeof globalThis.setInterval;
  export const clearInterval: typeof globalThis.clearInterval;
  export const setImmediate: typeof globalThis.setImmediate;
  export const clearImmediate: typeof globalThis.clearImmediate;
}
declare module 'timers' { export * from 'node:timers'; }
declare const process: {
  env: Record<string, string | undefined>;
  exit(code?: number): never;
  on(event: 'SIGTERM' | 'SIGINT', listener: () => unknown): void;
  cwd(): string;
};
`;
