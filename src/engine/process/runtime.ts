// What runs inside each process (Web Worker or worker thread): loads the learner's modules and serves requests.
import type { FromProcess, ProcessInfo, ToProcess, WireError, WireRequest } from './protocol.ts';
import { CookieKeepingResponse, fromResponse, toRequest } from './http.ts';
import { describe, formatArg, toWireError } from './wire-error.ts';

import { createMemoryFs, type MemoryFs } from './memfs.ts';
import * as path from './path.ts';
import { createRandom, type Random } from '../core/rng.ts';
import { SERVICE_METHODS } from '../services/methods.ts';
import { wrapStoredObject, type StoredObjectFields } from '../services/objects.ts';

type Post = (message: FromProcess) => void;

interface AppModule {
  fetch?: (request: Request, env: unknown) => unknown;
  start?: (env: unknown) => unknown;
  stop?: (env: unknown) => unknown;
  build?: (context: { fs: MemoryFs; env: unknown }) => unknown;
}

/** The most console lines one process generation may send, and characters a line: a log flood must not swamp the supervisor. */
const MAX_LOG_LINES = 500;
const MAX_LOG_CHARS = 2000;

/** Thrown by the `process.exit` shim to unwind the learner's stack; the supervisor then ends the process. */
class ProcessExit extends Error {
  constructor(code: number) {
    super(`process.exit(${code})`);
    this.name = 'ProcessExit';
  }
}

export function createProcessRuntime(post: Post) {
  let now = 0;
  let info: ProcessInfo | undefined;
  let modules: Record<string, string> = {};
  let sources: Record<string, string> = {};
  let entry = 'the app';
  let app: AppModule | undefined;
  let fs: MemoryFs | undefined;
  let env: Record<string, unknown> = {};
  let random: Random = Math.random;
  let logLines = 0;
  let nextCall = 1;
  let exiting = false;
  const pendingCalls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const sigtermListeners: (() => unknown)[] = [];
  let received = 0;
  let idleScheduled = false;
  /** After a message, once this process has run all it can (its microtasks), say so: see Cluster's ordering. */
  const scheduleIdle = () => {
    if (idleScheduled) return;
    idleScheduled = true;
    afterMicrotasks(() => {
      idleScheduled = false;
      post({ t: 'idle', seen: received });
    });
  };

  // ---- the globals a learner's module sees, shadowing the real ones ----
  const RealDate = Date;
  class VirtualDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now);
      else super(...(args as [string]));
    }
    static override now(): number {
      return now;
    }
  }
  const seededMath = Object.create(Math, { random: { value: () => random() } }) as Math;
  const seededCrypto = {
    subtle: globalThis.crypto.subtle,
    getRandomValues<T extends ArrayBufferView | null>(array: T): T {
      if (array) {
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      }
      return array;
    },
    randomUUID(): string {
      const bytes = seededCrypto.getRandomValues(new Uint8Array(16));
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  };
  const fakeConsole = Object.fromEntries(
    ['log', 'info', 'warn', 'error', 'debug'].map((level) => [level, (...args: unknown[]) => log(level, args)]),
  );
  const fakeProcess = {
    env: {} as Record<string, string>,
    argv: ['node', 'app'],
    platform: 'dojo',
    cwd: path.cwd,
    exit(code = 0): never {
      exiting = true;
      post({ t: 'exit', code });
      throw new ProcessExit(code);
    },
    on(event: string, listener: () => unknown) {
      if (event === 'SIGTERM' || event === 'SIGINT') sigtermListeners.push(listener);
      return fakeProcess;
    },
    once(event: string, listener: () => unknown) {
      return fakeProcess.on(event, listener);
    },
    nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]) {
      queueMicrotask(() => callback(...args));
    },
    memoryUsage: () => ({ rss: 0, heapUsed: 0, heapTotal: 0, external: 0 }),
  };
  const noFetch = () => {
    throw new Error('outbound network calls are not available in a kata: reach backing services through env');
  };

  function log(level: string, args: unknown[]): void {
    logLines += 1;
    if (logLines > MAX_LOG_LINES) return;
    const full = logLines === MAX_LOG_LINES ? `… more output from ${info?.name} was dropped` : args.map(formatArg).join(' ');
    const text = full.length > MAX_LOG_CHARS ? `${full.slice(0, MAX_LOG_CHARS)}… (${full.length - MAX_LOG_CHARS} more characters)` : full;
    post({ t: 'log', level, text });
  }

  // ---- backing services, reached over RPC ----
  function call(service: string, method: string, args: unknown[]): Promise<unknown> {
    const cid = nextCall++;
    return new Promise((resolve, reject) => {
      pendingCalls.set(cid, { resolve, reject });
      post({ t: 'call', cid, service, method, args });
    });
  }
  function serviceClient(service: keyof typeof SERVICE_METHODS) {
    const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of SERVICE_METHODS[service]) {
      client[method] = async (...args: unknown[]) => call(service, method, await cloneable(args));
    }
    return client;
  }
  function createEnv(vars: Record<string, string>) {
    const objects = serviceClient('objects');
    const rawGet = objects.get!;
    const rawPut = objects.put!;
    // A Blob (an uploaded File) keeps its type when no content type is given, as S3 SDKs do.
    objects.put = async (key, body, options) => {
      const type = body instanceof Blob && body.type ? { contentType: body.type } : {};
      return rawPut(key, body, { ...type, ...(options as object) });
    };
    objects.get = async (key) => {
      return wrapStoredObject((await rawGet(key)) as StoredObjectFields | null);
    };
    return { kv: serviceClient('kv'), objects, db: serviceClient('db'), vars: { ...vars } };
  }

  // ---- modules ----
  /** The node: modules a process offers, made once its disk exists (at boot). */
  let builtins: Record<string, unknown> = {};
  const cache = new Map<string, { exports: unknown }>();

  function resolveFile(from: string, specifier: string): string | undefined {
    const base = path.normalize(path.join(path.dirname(from), specifier)).replace(/^\.\//, '');
    const candidates = [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`];
    return candidates.find((candidate) => candidate in modules);
  }

  function requireFrom(from: string) {
    return (specifier: string): unknown => {
      const name = specifier.replace(/^node:/, '');
      const builtin = builtins[name];
      if (builtin !== undefined) return builtin;
      if (specifier.startsWith('.')) {
        const file = resolveFile(from, specifier);
        if (file) return load(file);
        throw new Error(`Cannot find module '${specifier}' imported from ${from}`);
      }
      throw new Error(
        `Cannot find module '${specifier}': a kata's processes can use node:fs, node:fs/promises, node:path, node:crypto and the kata's own files`,
      );
    };
  }

  function load(file: string): unknown {
    const cached = cache.get(file);
    if (cached) return cached.exports;
    const module = { exports: {} as unknown };
    cache.set(file, module);
    // The wrapper takes line 1 (toWireError takes it off again); sourceURL names the file in stack traces.
    const wrapped = `(function (exports, require, module, __filename, __dirname, process, console, crypto, Math, Date, fetch, Response) {\n${modules[file]}\n})\n//# sourceURL=${file}`;
    const factory = (0, eval)(wrapped) as (...args: unknown[]) => void;
    factory(
      module.exports,
      requireFrom(file),
      module,
      `/app/${file}`,
      path.dirname(`/app/${file}`),
      fakeProcess,
      fakeConsole,
      seededCrypto,
      seededMath,
      VirtualDate,
      noFetch,
      CookieKeepingResponse,
    );
    return module.exports;
  }

  function wireError(error: unknown): WireError {
    return toWireError(error, Object.keys(modules), { compiled: modules, sources });
  }

  // ---- message handling ----
  async function boot(message: Extract<ToProcess, { t: 'boot' }>): Promise<void> {
    now = message.now;
    info = message.info;
    modules = message.modules;
    entry = message.entry;
    sources = message.sources;
    random = createRandom(message.info.seed);
    fakeProcess.env = { ...message.vars };
    fs = createMemoryFs(message.disk, () => now);
    builtins = { fs, 'fs/promises': fs.promises, path, crypto: { ...seededCrypto, webcrypto: seededCrypto }, dojo: {} };
    env = createEnv(message.vars);
    try {
      const exports = load(message.entry) as { default?: AppModule };
      app = exports.default ?? (exports as AppModule);
      if (typeof app.start === 'function') await app.start(env);
      post({ t: 'ready' });
    } catch (error) {
      if (!exiting) post({ t: 'boot-error', error: wireError(error) });
    }
  }

  async function serve(id: number, request: WireRequest): Promise<void> {
    try {
      if (typeof app?.fetch !== 'function') {
        throw new TypeError(`${entry} has no default export with a fetch(request, env) method`);
      }
      const result = await app.fetch(toRequest(request), env);
      if (!(result instanceof Response)) {
        throw new TypeError(`fetch() returned ${describe(result)}; it must return a Response`);
      }
      post({ t: 'response', id, response: await fromResponse(result) });
    } catch (error) {
      if (!exiting) post({ t: 'request-error', id, error: wireError(error) });
    }
  }

  async function stop(): Promise<void> {
    try {
      for (const listener of sigtermListeners) await listener();
      if (typeof app?.stop === 'function') await app.stop(env);
    } catch (error) {
      log('error', [error]);
    }
    post({ t: 'stopped' });
  }

  async function build(): Promise<void> {
    try {
      if (typeof app?.build !== 'function') throw new TypeError(`${entry} has no build({ fs, env }) export`);
      await app.build({ fs: fs!, env });
      post({ t: 'built', disk: fs!.snapshot() });
    } catch (error) {
      post({ t: 'build-error', error: wireError(error) });
    }
  }

  return {
    receive(message: ToProcess): void {
      received += 1;
      scheduleIdle();
      if ('now' in message) now = message.now;
      switch (message.t) {
        case 'boot':
          void boot(message);
          break;
        case 'request':
          void serve(message.id, message.request);
          break;
        case 'return': {
          const pending = pendingCalls.get(message.cid);
          pendingCalls.delete(message.cid);
          if (message.ok) pending?.resolve(message.value);
          else pending?.reject(new Error(message.error));
          break;
        }
        case 'stop':
          void stop();
          break;
        case 'build':
          void build();
          break;
      }
    },
    /** Report an uncaught error or unhandled rejection; the supervisor ends the process, as Node would. */
    fatal(error: unknown, cause: 'uncaught' | 'rejection'): void {
      if (error instanceof ProcessExit || exiting) return;
      post({ t: 'fatal', error: wireError(error), cause });
    },
  };
}

// ---- helpers ----

/**
 * Run `task` once every pending microtask has run: setImmediate in Node; in a browser a MessageChannel message,
 * which (unlike setTimeout) is never clamped to 4 ms.
 */
const afterMicrotasks: (task: () => void) => void = (() => {
  const immediate = (globalThis as { setImmediate?: (task: () => void) => void }).setImmediate;
  if (immediate) return (task) => immediate(task);
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  return (task) => {
    queue.push(task);
    channel.port2.postMessage(null);
  };
})();

/** Blobs and ArrayBuffers become bytes so every host can clone them the same way. */
async function cloneable(args: unknown[]): Promise<unknown[]> {
  return Promise.all(
    args.map(async (arg) => {
      if (arg instanceof Blob) return new Uint8Array(await arg.arrayBuffer());
      if (arg instanceof ArrayBuffer) return new Uint8Array(arg);
      if (ArrayBuffer.isView(arg) && !(arg instanceof Uint8Array)) {
        return new Uint8Array(arg.buffer, arg.byteOffset, arg.byteLength);
      }
      return arg;
    }),
  );
}

/**
 * Run a tiny app through a throwaway runtime while this process waits as a spare, so the first real
 * request does not pay for compiling the runtime and loading the platform's fetch classes (~4 ms a process).
 */
export async function warmUp(): Promise<void> {
  let answered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (answered = resolve));
  const runtime = createProcessRuntime((message) => {
    if (message.t === 'response' || message.t === 'request-error' || message.t === 'boot-error') answered();
    if (message.t === 'ready') {
      runtime.receive({
        t: 'request', id: 1, now: 0,
        request: { method: 'POST', url: 'http://warm.up/', headers: [['cookie', 'a=b'], ['content-type', 'text/plain']], body: new TextEncoder().encode('x') },
      });
    }
  });
  runtime.receive({
    t: 'boot', entry: 'warm.js', disk: {}, vars: {}, now: 0,
    modules: { 'warm.js': "exports.default = { async fetch(request) { await request.text(); return Response.json({ ok: request.headers.get('cookie') }, { headers: { 'set-cookie': 'a=b' } }); } };" },
    sources: {},
    info: { name: 'warm-up', type: 'web', index: 0, generation: 0, seed: 0 },
  });
  await done;
}
