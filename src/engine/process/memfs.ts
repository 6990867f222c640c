// A process's local disk: an in-memory `node:fs` that starts from the release's files and dies with the process.
import { dirname, resolve } from './path.ts';

type Data = string | Uint8Array | ArrayBuffer | ArrayBufferView;
type Encoding = string | { encoding?: string | null; flag?: string } | null | undefined;

interface FileNode {
  kind: 'file';
  data: Uint8Array;
  mtimeMs: number;
}
interface DirNode {
  kind: 'dir';
  mtimeMs: number;
}
type Node = FileNode | DirNode;

/** An error shaped like Node's (code, syscall, path), so learner code that checks `err.code` works. */
function fsError(code: string, text: string, syscall: string, path: string): Error {
  const error = new Error(`${code}: ${text}, ${syscall} '${path}'`) as Error & Record<string, string>;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  return error;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toBytes(data: Data): Uint8Array {
  if (typeof data === 'string') return encoder.encode(data);
  if (data instanceof Uint8Array) return data.slice();
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
  throw new TypeError('The "data" argument must be a string, Uint8Array or ArrayBuffer');
}

function encodingOf(options: Encoding): string | null {
  if (typeof options === 'string') return options;
  return options?.encoding ?? null;
}

export interface Stats {
  size: number;
  mtimeMs: number;
  mtime: Date;
  isFile(): boolean;
  isDirectory(): boolean;
}

export function createMemoryFs(initial: Record<string, Uint8Array>, now: () => number) {
  // The working directory and /tmp exist from the start, as they do for a real process (code that writes a temp
  // file to /tmp without creating it first works on every platform, so it must here too).
  const nodes = new Map<string, Node>([
    ['/', { kind: 'dir', mtimeMs: now() }],
    ['/tmp', { kind: 'dir', mtimeMs: now() }],
    [resolve('.'), { kind: 'dir', mtimeMs: now() }],
  ]);
  const full = (path: string | URL) => resolve(String(path instanceof URL ? path.pathname : path));

  function ensureDirs(path: string): void {
    const parent = dirname(path);
    if (parent === path) return;
    ensureDirs(parent);
    if (!nodes.has(parent)) nodes.set(parent, { kind: 'dir', mtimeMs: now() });
  }
  for (const [path, data] of Object.entries(initial)) {
    const at = full(path);
    ensureDirs(at);
    nodes.set(at, { kind: 'file', data: data.slice(), mtimeMs: now() });
  }

  function file(path: string, syscall: string): FileNode {
    const node = nodes.get(path);
    if (!node) throw fsError('ENOENT', 'no such file or directory', syscall, path);
    if (node.kind === 'dir') throw fsError('EISDIR', 'illegal operation on a directory', syscall, path);
    return node;
  }
  function parentMustExist(path: string, syscall: string): void {
    const parent = nodes.get(dirname(path));
    if (!parent) throw fsError('ENOENT', 'no such file or directory', syscall, path);
    if (parent.kind !== 'dir') throw fsError('ENOTDIR', 'not a directory', syscall, path);
  }
  function children(path: string): string[] {
    const prefix = path === '/' ? '/' : `${path}/`;
    const names: string[] = [];
    for (const key of nodes.keys()) {
      if (key !== path && key.startsWith(prefix) && !key.slice(prefix.length).includes('/')) {
        names.push(key.slice(prefix.length));
      }
    }
    return names.sort();
  }

  const sync = {
    existsSync(path: string): boolean {
      return nodes.has(full(path));
    },
    readFileSync(path: string, options?: Encoding): string | Uint8Array {
      const data = file(full(path), 'open').data;
      return encodingOf(options) ? decoder.decode(data) : data.slice();
    },
    writeFileSync(path: string, data: Data, _options?: Encoding): void {
      const at = full(path);
      parentMustExist(at, 'open');
      if (nodes.get(at)?.kind === 'dir') throw fsError('EISDIR', 'illegal operation on a directory', 'open', at);
      nodes.set(at, { kind: 'file', data: toBytes(data), mtimeMs: now() });
    },
    appendFileSync(path: string, data: Data, _options?: Encoding): void {
      const at = full(path);
      const existing = nodes.get(at);
      if (existing?.kind !== 'file') return sync.writeFileSync(path, data);
      const extra = toBytes(data);
      const joined = new Uint8Array(existing.data.length + extra.length);
      joined.set(existing.data);
      joined.set(extra, existing.data.length);
      nodes.set(at, { kind: 'file', data: joined, mtimeMs: now() });
    },
    mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined {
      const at = full(path);
      if (nodes.has(at)) {
        if (options?.recursive) return undefined;
        throw fsError('EEXIST', 'file already exists', 'mkdir', at);
      }
      if (options?.recursive) ensureDirs(at);
      else parentMustExist(at, 'mkdir');
      nodes.set(at, { kind: 'dir', mtimeMs: now() });
      return at;
    },
    readdirSync(path: string): string[] {
      const at = full(path);
      const node = nodes.get(at);
      if (!node) throw fsError('ENOENT', 'no such file or directory', 'scandir', at);
      if (node.kind !== 'dir') throw fsError('ENOTDIR', 'not a directory', 'scandir', at);
      return children(at);
    },
    statSync(path: string): Stats {
      const at = full(path);
      const node = nodes.get(at);
      if (!node) throw fsError('ENOENT', 'no such file or directory', 'stat', at);
      return {
        size: node.kind === 'file' ? node.data.length : 0,
        mtimeMs: node.mtimeMs,
        mtime: new Date(node.mtimeMs),
        isFile: () => node.kind === 'file',
        isDirectory: () => node.kind === 'dir',
      };
    },
    unlinkSync(path: string): void {
      const at = full(path);
      file(at, 'unlink');
      nodes.delete(at);
    },
    rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void {
      const at = full(path);
      const node = nodes.get(at);
      if (!node) {
        if (options?.force) return;
        throw fsError('ENOENT', 'no such file or directory', 'rm', at);
      }
      if (node.kind === 'dir') {
        if (!options?.recursive && children(at).length > 0) throw fsError('ENOTEMPTY', 'directory not empty', 'rm', at);
        for (const key of [...nodes.keys()]) if (key.startsWith(`${at}/`)) nodes.delete(key);
      }
      if (at !== '/') nodes.delete(at);
    },
    renameSync(from: string, to: string): void {
      const source = full(from);
      const target = full(to);
      const node = nodes.get(source);
      if (!node) throw fsError('ENOENT', 'no such file or directory', 'rename', source);
      parentMustExist(target, 'rename');
      // A directory moves with everything under it.
      for (const [key, value] of [...nodes]) {
        if (key === source || key.startsWith(`${source}/`)) {
          nodes.delete(key);
          nodes.set(target + key.slice(source.length), value);
        }
      }
    },
    copyFileSync(from: string, to: string): void {
      sync.writeFileSync(to, file(full(from), 'copyfile').data);
    },
    accessSync(path: string): void {
      if (!nodes.has(full(path))) throw fsError('ENOENT', 'no such file or directory', 'access', full(path));
    },
  };

  /** Promise forms of the sync calls, as `node:fs/promises` has them. */
  const promises = {
    readFile: async (path: string, options?: Encoding) => sync.readFileSync(path, options),
    writeFile: async (path: string, data: Data, options?: Encoding) => sync.writeFileSync(path, data, options),
    appendFile: async (path: string, data: Data, options?: Encoding) => sync.appendFileSync(path, data, options),
    mkdir: async (path: string, options?: { recursive?: boolean }) => sync.mkdirSync(path, options),
    readdir: async (path: string) => sync.readdirSync(path),
    stat: async (path: string) => sync.statSync(path),
    unlink: async (path: string) => sync.unlinkSync(path),
    rm: async (path: string, options?: { recursive?: boolean; force?: boolean }) => sync.rmSync(path, options),
    rename: async (from: string, to: string) => sync.renameSync(from, to),
    copyFile: async (from: string, to: string) => sync.copyFileSync(from, to),
    access: async (path: string) => sync.accessSync(path),
  };

  /** Every file on this disk, for the build step's output. */
  function snapshot(): Record<string, Uint8Array> {
    const files: Record<string, Uint8Array> = {};
    for (const [path, node] of nodes) if (node.kind === 'file') files[path] = node.data.slice();
    return files;
  }

  return { ...sync, promises, constants: { F_OK: 0, R_OK: 4, W_OK: 2, X_OK: 1 }, snapshot };
}

export type MemoryFs = ReturnType<typeof createMemoryFs>;
