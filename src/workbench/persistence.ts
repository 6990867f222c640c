// What the kata page hands its workbench. Keeping the learner's code (storage, tabs, import, share links) is in ./save/.
export type { Files } from './save/files.ts';

/** What the kata page hands its workbench (as JSON in the page): one definition for the page and the script. */
export interface KataData {
  slug: string;
  title: string;
  starter: import('./save/files.ts').Files;
  solution: import('./save/files.ts').Files;
  hints: string[];
  /** the hidden tests' names, listed before the first run */
  tests: string[];
  /** every kata's slug, to accept an imported progress file's katas */
  katas: string[];
}
