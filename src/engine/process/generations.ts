// One isolate, several process generations in turn: each boot gets a fresh runtime and Compartment, so a host can
// reuse an isolate whose last generation ended quietly instead of paying for a new thread (and a new lockdown).
import { createProcessRuntime, type RuntimeOptions } from './runtime.ts';
import type { FromProcess, ToProcess } from './protocol.ts';

/** Between a host and an isolate only: forget the generation, then say so (messages before that are stale). */
export type HostToIsolate = ToProcess | { t: 'reset' };
export type IsolateToHost = FromProcess | { t: 'reset-done' };

export function serveGenerations(post: (message: IsolateToHost) => void, options: RuntimeOptions = {}) {
  let current: ReturnType<typeof createProcessRuntime> | undefined;
  return {
    receive(message: HostToIsolate): void {
      if (message.t === 'reset') {
        current?.dispose();
        current = undefined;
        post({ t: 'reset-done' });
        return;
      }
      if (message.t === 'boot') {
        current?.dispose();
        current = createProcessRuntime(post, options);
      }
      current?.receive(message);
    },
    fatal(error: unknown, cause: 'uncaught' | 'rejection'): void {
      current?.fatal(error, cause);
    },
  };
}
