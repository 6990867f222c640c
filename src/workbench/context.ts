// What the workbench's parts share: the page's elements, the kata, the store and the current editor.
import type { CodeEditor } from './editor.ts';
import type { WorkbenchElements } from './elements.ts';
import type { KataData } from './persistence.ts';
import type { WorkKeeper } from './save/keeper.ts';
import type { Store } from './store.ts';
import type { WorkbenchState } from './state.ts';

export interface WorkbenchContext {
  root: HTMLElement;
  ui: WorkbenchElements;
  data: KataData;
  /** keeps the learner's code: saving, other tabs, import, export, share links */
  work: WorkKeeper;
  /** the page's state: what the views show is derived from it */
  state: Store<WorkbenchState>;
  /** the editor in use now (the textarea, then Monaco) */
  editor(): CodeEditor;
  /** the open file */
  active(): string;
  /** the code was changed by the page (reset, import): save it */
  changed(): void;
}
