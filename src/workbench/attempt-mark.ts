// Marks a kata attempted (for the course map) the first time its code differs from the starter or its tests run.
import { sameFiles, type Files } from './save/files.ts';
import type { Store } from './store.ts';
import type { WorkbenchState } from './state.ts';

/** Calls `mark` once, as soon as the state shows an attempt (saved code that differs counts from the start). */
export function watchAttempt<S extends Pick<WorkbenchState, 'files' | 'running'>>(state: Store<S>, starter: Files, mark: () => void): () => void {
  let marked = false;
  const attempted = (now: S) => now.running !== undefined || !sameFiles(now.files, starter);
  const check = (now: S) => {
    if (marked || !attempted(now)) return;
    marked = true;
    mark();
    stop();
  };
  const stop = state.subscribe(check);
  check(state.state);
  return stop;
}
