// Hardens a process's isolate once, before any learner code runs: the shared intrinsics (Object, Array, Function,
// Promise, …) are frozen and the Function constructor reachable from them is disabled, so code evaluated in a
// Compartment (see compartment.ts) can reach only the globals it is handed.
import 'ses';

let done = false;

export function lockdownOnce(): void {
  if (done) return;
  done = true;
  // Node defines its fetch classes lazily, on first use: load them while the intrinsics can still be touched.
  const g = globalThis as Record<string, unknown>;
  for (const name of ['Response', 'Request', 'Headers', 'FormData', 'Blob', 'File', 'ReadableStream', 'URL', 'TextEncoder']) void g[name];
  lockdown({
    // Keep `error.stack`: failures are reported at the learner's file, line and column.
    errorTaming: 'unsafe',
    stackFiltering: 'verbose',
    // The process runtime reports uncaught errors itself (as a crash of that process); SES must not exit or log.
    errorTrapping: 'none',
    unhandledRejectionTrapping: 'none',
    reporting: 'none',
    consoleTaming: 'unsafe',
    // Lets ordinary code assign `error.name = …` or `obj.toString = …` over frozen inherited properties.
    overrideTaming: 'moderate',
  });
  // Node's streams set `stream.constructor = WritableStream` on the streams a TransformStream makes: once the class is
  // frozen that assignment throws (the "override mistake"), so `new TransformStream().writable.getWriter()`, the way
  // Hono's streamSSE writes, would fail. Let an instance get its own `constructor`, as SES does for its intrinsics.
  for (const name of ['ReadableStream', 'WritableStream', 'TransformStream']) {
    const host = g[name] as { prototype?: object } | undefined;
    if (host?.prototype) allowOverride(host.prototype, 'constructor');
  }
}

/** Turn a data property into an accessor whose setter gives the assigning object a property of its own. */
function allowOverride(prototype: object, name: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
  if (!descriptor || !('value' in descriptor) || !descriptor.configurable) return;
  const value: unknown = descriptor.value;
  Object.defineProperty(prototype, name, {
    get: () => value,
    set(this: object, replacement: unknown) {
      if (this === prototype) throw new TypeError(`Cannot assign to read only property '${name}' of a shared prototype`);
      Object.defineProperty(this, name, { value: replacement, writable: true, enumerable: true, configurable: true });
    },
    enumerable: descriptor.enumerable,
    configurable: false,
  });
}

/**
 * Freeze, with everything it reaches, a value that every generation of this isolate hands to learner code (a host
 * class such as Response, a shared module object): a generation must not leave state on it for the next one.
 */
export function hardenShared<T>(value: T): T {
  lockdownOnce();
  return harden(value);
}
