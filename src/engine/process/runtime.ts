// What runs inside each process (Web Worker or worker thread): loads the learner's modules and serves requests.
import type { FromProcess, ProcessInfo, ToProcess, WireError, WireRequest } from './protocol.ts';
import { CookieKeepingResponse, fromResponse, headOf, isStreamed, toRequest, type PlatformWork } from './http.ts';
import { describe, formatArg, toWireError } from './wire-error.ts';

import { createMemoryFs, type MemoryFs } from './memfs.ts';
import * as path from './path.ts';
import { createTimers, timerModules } from './timers.ts';
import { createLearnerCompartment, type LearnerCompartment } from './seal/compartment.ts';
import { tamedGlobals } from './seal/tamed.ts';
import { hardenShared } from './seal/lockdown.ts';
import { REFUSED_MODULES, refuse, refusedProcessMethods } from './seal/forbidden.ts';
import { STEP } from '../core/instrument.ts';
import { LOG_LIMITS, STREAM_LIMITS } from '../core/limits.ts';
import { createRandom, type Random } from '../core/rng.ts';
import { SERVICE_METHODS } from '../services/methods.ts';
import { wrapStoredObject, type StoredObjectFields } from '../services/objects.ts';

type Post = (message: FromProcess) => void;
type Listener = (message: string, channel: string) => unknown;

interface AppModule {
  fetch?: (request: Request, env: unknown) => unknown;
  start?: (env: unknown) => unknown;
  stop?: (env: unknown) => unknown;
  /** a worker's job handler: return to acknowledge the job, throw to have it retried */
  queue?: (job: unknown, env: unknown) => unknown;
  build?: (context: { fs: MemoryFs; env: unknown }) => unknown;
}

/** Console lines one generation sends at most, and characters a line (the supervisor enforces the real caps). */
const { sentLines: MAX_LOG_LINES, sentChars: MAX_LOG_CHARS } = LOG_LIMITS;

/** node:path for learner code: a frozen copy (a module namespace cannot be frozen, and it outlives generations). */
const sharedPath = { ...path };

/**
 * Work a process may do before it is judged a runaway, counted (see core/instrument.ts), never timed: steps in one
 * macrotask (a message or a timer), and backing-service calls while it has requests or a start-up in progress.
 */
export const DEFAULT_BUDGET = { steps: 5_000_000, calls: 10_000 };

/**
 * Bytes a process may hold outside its JavaScript heap (ArrayBuffers): the heap is capped by the host, these are
 * not. Generous, because V8 frees discarded buffers only at its next collection (it collects sooner under this
 * kind of pressure).
 */
export const MAX_EXTERNAL_BYTES = 256 * 1024 * 1024;

export interface RuntimeOptions {
  /** bytes this isolate holds outside its heap, where the host can tell (Node: v8.getHeapStatistics()) */
  externalMemory?: () => number;
}

/** Thrown by the `process.exit` shim to unwind the learner's stack; the supervisor then ends the process. */
class ProcessExit extends Error {
  constructor(code: number) {
    super(`process.exit(${code})`);
    this.name = 'ProcessExit';
  }
}

export function createProcessRuntime(send: Post, options: RuntimeOptions = {}) {
  /** once disposed, whatever the generation's code still does is said to no one */
  let disposed = false;
  const post: Post = (message) => {
    if (!disposed) send(message);
  };
  let now = 0;
  let info: ProcessInfo | undefined;
  let modules: Record<string, string> = {};
  let sources: Record<string, string> = {};
  let entry = 'the app';
  let app: AppModule | undefined;
  let fs: MemoryFs | undefined;
  let env: Record<string, unknown> = {};
  let compartment: LearnerCompartment | undefined;
  let random: Random = Math.random;
  let logLines = 0;
  let nextCall = 1;
  let exiting = false;
  const pendingCalls = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  /** pub/sub listeners by channel (see createEnv) */
  const subscriptions = new Map<string, Set<Listener>>();
  const sigtermListeners: (() => unknown)[] = [];
  /** streamed responses being sent, by request id: their readers, to cancel when the client hangs up */
  const openStreams = new Map<number, ReadableStreamDefaultReader<unknown>>();
  let received = 0;
  let idleScheduled = false;
  /** platform work under way (reading a body): the process is not idle until it settles */
  let platformWork = 0;
  /** After a message, once this process has run all it can (its microtasks), say so: see Cluster's ordering. */
  const scheduleIdle = () => {
    if (idleScheduled) return;
    idleScheduled = true;
    afterMicrotasks(() => {
      idleScheduled = false;
      // A body still being read settles in a task of its own (browsers stream bodies): saying "idle" now would let the
      // supervisor move the clock, fire timers or hand out jobs in the middle of a request. Its end says it instead.
      if (platformWork > 0) return;
      try {
        checkMemory();
      } catch {
        return; // reported as a runaway: the supervisor ends this process
      }
      post({ t: 'idle', seen: received, timers: timers.pending() });
    });
  };

  /** Count `work` as the process's own until it settles, then report idle again (see scheduleIdle). */
  const busyWith: PlatformWork = (work) => {
    platformWork += 1;
    const settled = () => {
      platformWork -= 1;
      scheduleIdle();
    };
    work.then(settled, settled);
    return work;
  };

  // ---- the globals a learner's module sees: nothing of the host's but pure APIs (see seal/compartment.ts) ----
  const tamed = tamedGlobals(() => now, () => random(), busyWith);
  const timers = createTimers({
    now: () => now,
    where() {
      const { file, line } = wireError(new Error('timer'));
      return file && line ? { file, line } : undefined;
    },
    before: () => newMacrotask(),
    after: () => scheduleIdle(),
  });
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
    ...refusedProcessMethods(),
  };

  // ---- the work budget ----
  let budget = DEFAULT_BUDGET;
  let steps = 0;
  /** every step this generation ran, and how many of them it has reported (see workSinceReport) */
  let stepsRun = 0;
  let stepsReported = 0;
  let calls = 0;
  /** requests in progress, plus one while starting: backing-service calls are counted while it is above 0 */
  let busy = 0;
  let runaway: Error | undefined;
  /** A timer callback or a pub/sub delivery starts: a fresh step budget, and fresh calls unless a request is busy. */
  function newMacrotask(): void {
    steps = 0;
    if (busy === 0) calls = 0;
  }
  /** Called by instrumented code at every loop iteration and function call. */
  function step(): void {
    stepsRun += 1;
    if (++steps > budget.steps) overBudget('steps', `ran more than ${grouped(budget.steps)} steps without a pause (an infinite loop, or runaway recursion?)`);
    if ((steps & 0xffff) === 0) checkMemory();
  }
  /**
   * Steps run since the last report: what start-up, a request or the build cost, as a count a slow machine cannot
   * change. Tests read it from the trace (see testing/work.ts) to tell what work a process did, e.g. compiling assets.
   */
  function workSinceReport(): number {
    const done = stepsRun - stepsReported;
    stepsReported = stepsRun;
    return done;
  }
  function checkMemory(): void {
    const held = options.externalMemory?.() ?? 0;
    if (held > MAX_EXTERNAL_BYTES) {
      overBudget('memory', `held more than ${MAX_EXTERNAL_BYTES / 1024 / 1024} MB in ArrayBuffers and byte arrays (memory outside the JavaScript heap)`);
    }
  }
  function overBudget(kind: 'steps' | 'calls' | 'memory', text: string): never {
    if (!runaway) {
      runaway = new RangeError(text);
      // Said once, at once: the supervisor ends this process even if learner code catches what is thrown below.
      post({ t: 'runaway', kind, limit: kind === 'memory' ? MAX_EXTERNAL_BYTES : budget[kind], error: wireError(runaway) });
    }
    throw runaway;
  }

  function log(level: string, args: unknown[]): void {
    logLines += 1;
    if (logLines > MAX_LOG_LINES) return;
    const text = args.map(formatArg).join(' ');
    post({ t: 'log', level, text: text.length > MAX_LOG_CHARS ? text.slice(0, MAX_LOG_CHARS) : text });
  }

  // ---- backing services, reached over RPC ----
  function call(service: string, method: string, args: unknown[]): Promise<unknown> {
    if (++calls > budget.calls) {
      overBudget('calls', `made more than ${grouped(budget.calls)} backing-service calls in one go (a loop that never ends?)`);
    }
    const cid = nextCall++;
    return new Promise((resolve, reject) => {
      pendingCalls.set(cid, { resolve, reject });
      post({ t: 'call', cid, service, method, args });
    });
  }
  function serviceClient(service: keyof typeof SERVICE_METHODS) {
    const client: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const method of SERVICE_METHODS[service]) {
      client[method] = async (...args: unknown[]) => call(service, method, await busyWith(cloneable(args)));
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
    // Listeners stay here (functions cannot cross to the supervisor); the supervisor only learns the channel names.
    const kv = serviceClient('kv');
    kv.subscribe = async (channel, listener) => {
      if (typeof listener !== 'function') throw new TypeError('kv.subscribe(channel, listener): the listener must be a function');
      const name = String(channel);
      const set = subscriptions.get(name) ?? new Set<Listener>();
      const first = set.size === 0;
      set.add(listener as Listener);
      subscriptions.set(name, set);
      if (first) await call('kv', 'subscribe', [name]);
    };
    kv.unsubscribe = async (channel) => {
      if (subscriptions.delete(String(channel))) await call('kv', 'unsubscribe', [String(channel)]);
    };
    return { kv, objects, db: serviceClient('db'), queue: serviceClient('queue'), vars: { ...vars } };
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
      const refused = REFUSED_MODULES[name];
      if (refused) refuse(`the module '${specifier}'`, refused);
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
    const wrapped = `(function (exports, require, module, __filename, __dirname, ${STEP}) {\n${modules[file]}\n})\n//# sourceURL=${file}`;
    const factory = compartment!.evaluate(wrapped, file) as (...args: unknown[]) => void;
    factory(module.exports, requireFrom(file), module, `/app/${file}`, path.dirname(`/app/${file}`), step);
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
    budget = { ...DEFAULT_BUDGET, ...message.budget };
    hardenShared(sharedPath);
    hardenShared(CookieKeepingResponse);
    builtins = {
      fs, 'fs/promises': fs.promises, path: sharedPath, crypto: { ...tamed.crypto, webcrypto: tamed.crypto }, dojo: {},
      ...timerModules(timers.globals),
    };
    env = createEnv(message.vars);
    busy += 1;
    try {
      compartment = createLearnerCompartment({
        ...tamed, ...timers.globals, console: fakeConsole, process: fakeProcess, Response: CookieKeepingResponse,
      });
      const exports = load(message.entry) as { default?: AppModule };
      app = exports.default ?? (exports as AppModule);
      if (typeof app.start === 'function') await app.start(env);
      // A process whose module handles jobs is a consumer: the supervisor delivers the queue's jobs to it.
      post({ t: 'ready', consumer: typeof app.queue === 'function', work: workSinceReport() });
    } catch (error) {
      if (!exiting && !runaway) post({ t: 'boot-error', error: wireError(error) });
    } finally {
      busy -= 1;
    }
  }

  async function serve(id: number, request: WireRequest): Promise<void> {
    if (busy === 0) calls = 0;
    busy += 1;
    try {
      if (typeof app?.fetch !== 'function') {
        throw new TypeError(`${entry} has no default export with a fetch(request, env) method`);
      }
      const result = await app.fetch(toRequest(request, busyWith), env);
      if (!(result instanceof Response)) {
        throw new TypeError(`fetch() returned ${describe(result)}; it must return a Response`);
      }
      if (isStreamed(result)) {
        checkMemory();
        post({ t: 'stream', id, response: headOf(result) });
        void pipe(id, result.body!.getReader());
        return;
      }
      const response = await busyWith(fromResponse(result));
      checkMemory(); // before the answer leaves: a process over its memory does not get to answer
      post({ t: 'response', id, response, work: workSinceReport() });
    } catch (error) {
      if (!exiting && !runaway) post({ t: 'request-error', id, error: wireError(error) });
    } finally {
      busy -= 1;
    }
  }

  /**
   * Send a streamed body chunk by chunk as the app enqueues them. Waiting for the next chunk is not work: a process
   * whose streams wait for something to happen is idle (the clock may move, it serves other requests); the work that
   * enqueues (a pub/sub message, a timer) is. The caps are counted here too, so the stream stops at the same chunk on
   * every run.
   */
  async function pipe(id: number, reader: ReadableStreamDefaultReader<unknown>): Promise<void> {
    openStreams.set(id, reader);
    let chunks = 0;
    let bytes = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (!openStreams.has(id)) return; // cancelled: the client is gone
        if (done) return post({ t: 'stream-end', id });
        if (!ArrayBuffer.isView(value)) {
          throw new TypeError(`a streamed response's chunks must be bytes (a Uint8Array), got ${describe(value)}: enqueue new TextEncoder().encode(text)`);
        }
        const chunk = new Uint8Array(value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer);
        chunks += 1;
        bytes += chunk.byteLength;
        const limit = chunks > STREAM_LIMITS.chunks ? 'chunks' : bytes > STREAM_LIMITS.bytes ? 'bytes' : undefined;
        if (limit) {
          openStreams.delete(id);
          post({ t: 'stream-end', id, limit });
          void reader.cancel('the platform closed this stream: it sent more than it may').catch(() => undefined);
          return;
        }
        post({ t: 'chunk', id, bytes: chunk });
      }
    } catch (error) {
      if (openStreams.has(id) && !exiting && !runaway) post({ t: 'stream-end', id, error: wireError(error) });
    } finally {
      openStreams.delete(id);
    }
  }

  /** The client hung up: cancel the body, as a platform does, so the app's cancel() (its clean-up) runs. */
  function cancelStream(id: number, reason: string): void {
    const reader = openStreams.get(id);
    if (!reader) return;
    openStreams.delete(id);
    newMacrotask();
    reader.cancel(reason).catch((error: unknown) => log('error', [error]));
  }

  /** A job from the queue: done when the handler returns, failed (retried later) when it throws. */
  async function work(delivery: number, job: unknown): Promise<void> {
    if (busy === 0) calls = 0;
    busy += 1;
    try {
      await app!.queue!(job, env);
      checkMemory();
      post({ t: 'job-done', delivery });
    } catch (error) {
      if (!exiting && !runaway) post({ t: 'job-error', delivery, error: wireError(error) });
    } finally {
      busy -= 1;
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
      post({ t: 'built', disk: fs!.snapshot(), work: workSinceReport() });
    } catch (error) {
      post({ t: 'build-error', error: wireError(error) });
    }
  }

  return {
    receive(message: ToProcess): void {
      received += 1;
      steps = 0; // each message is a new macrotask with a fresh step budget
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
        case 'job':
          void work(message.delivery, message.job);
          break;
        case 'stop':
          void stop();
          break;
        case 'message':
          // each delivery is a macrotask of its own, as a message event on a Redis connection is
          for (const listener of [...(subscriptions.get(message.channel) ?? [])]) {
            newMacrotask();
            try {
              listener(message.message, message.channel);
            } catch (error) {
              if (!(error instanceof ProcessExit) && !exiting && !runaway) post({ t: 'fatal', error: wireError(error), cause: 'uncaught' });
            }
          }
          break;
        case 'cancel':
          cancelStream(message.id, message.reason);
          break;
        case 'inspect-disk':
          post({ t: 'disk', ask: message.ask, files: fs?.snapshot() ?? {} });
          break;
        case 'fire':
          try {
            timers.fire(message.id);
          } catch (error) {
            // As in Node: a timer callback that throws is an uncaught exception (unless it was the budget's throw).
            if (!(error instanceof ProcessExit) && !exiting && !runaway) post({ t: 'fatal', error: wireError(error), cause: 'uncaught' });
          }
          break;
        case 'build':
          void build();
          break;
      }
    },
    /** Report an uncaught error or unhandled rejection; the supervisor ends the process, as Node would. */
    /** End this generation without ending the isolate: its timers stop and nothing it does is posted any more. */
    dispose(): void {
      disposed = true;
      timers.clearAll();
      openStreams.clear();
      pendingCalls.clear();
    },
    fatal(error: unknown, cause: 'uncaught' | 'rejection'): void {
      if (error instanceof ProcessExit || exiting || runaway) return;
      post({ t: 'fatal', error: wireError(error), cause });
    },
  };
}

// ---- helpers ----

/** 5000000 → "5,000,000" (toLocaleString is tamed to plain toString once the isolate is locked down). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

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
