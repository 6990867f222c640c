// The ways out of a process that a real process on another machine would not have, each answered with a clear error
// naming what to use instead. Each has a stable code, so tests and the UI agree through data, not through wording.

import { hardenShared } from './lockdown.ts';

export type EscapeCode = 'network' | 'peer' | 'storage' | 'host' | 'code-loading';

const ADVICE: Record<EscapeCode, string> = {
  network: 'outbound network calls are not available in a kata: a process reaches backing services only through env (env.kv, env.objects, env.db)',
  peer: "processes can't talk to each other directly: share state through env.kv (or env.db), as processes on separate machines would",
  storage: 'a process has no storage of its own that outlives it: keep data in env.kv, env.db or env.objects',
  host: "a kata's process runs as if on a machine of its own: it cannot reach the machine that runs the tests",
  'code-loading': 'a process can load only the kata\'s own files (with import or require)',
};

/** The error a process gets when it tries a way out: `code` says which kind, for tests and tools. */
export class EscapeError extends Error {
  readonly code: string;
  constructor(what: string, kind: EscapeCode) {
    super(`${what} is not available: ${ADVICE[kind]}`);
    this.name = 'EscapeError';
    this.code = `DOJO_ESCAPE_${kind.toUpperCase().replace('-', '_')}`;
  }
}

export function refuse(what: string, kind: EscapeCode): never {
  throw new EscapeError(what, kind);
}

/** A stand-in for a function or class: calling or constructing it throws. */
function refusing(name: string, kind: EscapeCode): () => never {
  const stub = function () {
    refuse(name, kind);
  } as unknown as () => never;
  Object.defineProperty(stub, 'name', { value: name });
  return stub;
}

/** Globals that are functions or classes in a browser or in Node. */
const CALLABLE: Record<string, EscapeCode> = {
  fetch: 'network',
  XMLHttpRequest: 'network',
  WebSocket: 'network',
  EventSource: 'network',
  WebTransport: 'network',
  BroadcastChannel: 'peer',
  MessageChannel: 'peer',
  MessagePort: 'peer',
  SharedWorker: 'peer',
  Worker: 'peer',
  postMessage: 'peer',
  importScripts: 'code-loading',
};

/** Globals that are objects: reading them at all throws. */
const OBJECTS: Record<string, EscapeCode> = {
  indexedDB: 'storage',
  caches: 'storage',
  localStorage: 'storage',
  sessionStorage: 'storage',
};
// `window`, `self`, `navigator` and `location` are simply absent, as in Node: server code tests `typeof window`.

/** Define every refused global on a compartment's global object. */
export function defineRefusals(target: object): void {
  hardenShared(EscapeError); // learner code reaches the class through error.constructor
  for (const [name, kind] of Object.entries(CALLABLE)) {
    Object.defineProperty(target, name, { value: refusing(name, kind), writable: true, configurable: true });
  }
  for (const [name, kind] of Object.entries(OBJECTS)) {
    Object.defineProperty(target, name, { get: () => refuse(name, kind), configurable: true });
  }
}

/** Node's host-reaching `process` methods, for the process shim. */
export const REFUSED_PROCESS_METHODS = ['getBuiltinModule', 'binding', '_linkedBinding', 'dlopen', 'kill', 'abort', 'chdir', 'setuid', 'setgid', 'send'];

export function refusedProcessMethods(): Record<string, () => never> {
  return Object.fromEntries(REFUSED_PROCESS_METHODS.map((name) => [name, refusing(`process.${name}()`, 'host')]));
}

/** Node built-in modules that reach outside the process, named in the error when required. */
export const REFUSED_MODULES: Record<string, EscapeCode> = {
  net: 'network', http: 'network', https: 'network', http2: 'network', dgram: 'network', dns: 'network', tls: 'network',
  child_process: 'host', worker_threads: 'peer', cluster: 'peer', os: 'host', vm: 'host', v8: 'host', module: 'code-loading',
  inspector: 'host', process: 'host',
};
