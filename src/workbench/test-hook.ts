// The one global the kata page sets: a hook for its browser tests (and the bench) to read and replace the code.
// Modules never talk through it; typing a whole file into Monaco would re-indent it, so tests set text here instead.
import type { Files } from './persistence.ts';

export interface WorkbenchTestHook {
  /** the learner's files as the editor holds them now */
  files(): Files;
  /** replace the code, as Reset or Import do */
  setFiles(files: Files): void;
  /** bring up the full editor now */
  upgrade(): Promise<void>;
}

export function installTestHook(hook: WorkbenchTestHook): void {
  Object.assign(window, { dojoWorkbench: hook });
}
