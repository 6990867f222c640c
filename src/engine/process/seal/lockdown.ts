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
}

/**
 * Freeze, with everything it reaches, a value that every generation of this isolate hands to learner code (a host
 * class such as Response, a shared module object): a generation must not leave state on it for the next one.
 */
export function hardenShared<T>(value: T): T {
  lockdownOnce();
  return harden(value);
}
