// Saves a learner's work in this browser (IndexedDB), and moves it between browsers: export/import files and share links.
import { createStore, get, set, del, entries, type UseStore } from 'idb-keyval';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { readSolved, writeSolved } from '../utils/progress-marks.ts';

export type Files = Record<string, string>;

/** What the kata page hands its workbench (as JSON in the page): one definition for the page and the script. */
export interface KataData {
  slug: string;
  title: string;
  starter: Files;
  solution: Files;
  hints: string[];
  /** the hidden tests' names, listed before the first run */
  tests: string[];
  /** every kata's slug, to accept an imported progress file's katas */
  katas: string[];
}

export const PROGRESS_FORMAT = 'stateless-dojo-progress';
const MAX_FILE_CHARS = 200_000;

export interface Progress {
  format: typeof PROGRESS_FORMAT;
  version: 1;
  exportedAt: string;
  solved: string[];
  files: Record<string, Files>;
}

/** A progress file or share link that cannot be used; nothing was changed. */
export class ProgressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProgressError';
  }
}

/** Where files live: IndexedDB when the browser allows it, else memory (with a notice on the page). */
export class WorkStore {
  #db: UseStore | undefined;
  readonly #memory = new Map<string, Files>();
  available = false;
  problem = '';

  async open(): Promise<this> {
    try {
      if (typeof indexedDB === 'undefined') throw new Error('this browser has no IndexedDB');
      this.#db = createStore('stateless-dojo', 'work');
      await set('probe', Date.now(), this.#db);
      this.available = true;
    } catch (error) {
      this.#db = undefined;
      this.available = false;
      this.problem = error instanceof Error ? error.message : String(error);
    }
    return this;
  }

  async load(slug: string): Promise<Files | undefined> {
    if (!this.#db) return this.#memory.get(slug);
    try {
      const files = await get<unknown>(`files:${slug}`, this.#db);
      return isFiles(files) ? files : undefined;
    } catch {
      return this.#memory.get(slug);
    }
  }

  /** false when the browser refused (e.g. quota): the work is kept in memory for this page. */
  async save(slug: string, files: Files): Promise<boolean> {
    this.#memory.set(slug, { ...files });
    if (!this.#db) return false;
    try {
      await set(`files:${slug}`, { ...files }, this.#db);
      return true;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
      return false;
    }
  }

  async forget(slug: string): Promise<void> {
    this.#memory.delete(slug);
    if (this.#db) await del(`files:${slug}`, this.#db).catch(() => undefined);
  }

  async exportProgress(): Promise<Progress> {
    const files: Record<string, Files> = Object.fromEntries(this.#memory);
    if (this.#db) {
      for (const [key, value] of await entries<string, unknown>(this.#db)) {
        if (key.startsWith('files:') && isFiles(value)) files[key.slice('files:'.length)] = value;
      }
    }
    return { format: PROGRESS_FORMAT, version: 1, exportedAt: new Date().toISOString(), solved: [...readSolved()], files };
  }

  /** Check the whole file first; only a valid one changes anything. */
  async importProgress(text: string, knownKatas: readonly string[]): Promise<{ katas: number; solved: number }> {
    const progress = parseProgress(text, knownKatas);
    for (const [slug, files] of Object.entries(progress.files)) await this.save(slug, files);
    writeSolved([...readSolved(), ...progress.solved]);
    return { katas: Object.keys(progress.files).length, solved: progress.solved.length };
  }
}

export function parseProgress(text: string, knownKatas: readonly string[]): Progress {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ProgressError('This file is not a Stateless Dojo progress file (it is not JSON). Nothing was changed.');
  }
  const record = data as Partial<Progress> | null;
  if (typeof record !== 'object' || record === null || record.format !== PROGRESS_FORMAT) {
    throw new ProgressError('This file is not a Stateless Dojo progress file. Nothing was changed.');
  }
  if (record.version !== 1) {
    throw new ProgressError(`This progress file has version ${String(record.version)}; this site reads version 1. Nothing was changed.`);
  }
  if (!Array.isArray(record.solved) || !record.solved.every((slug) => typeof slug === 'string')) {
    throw new ProgressError('The progress file is damaged ("solved" is not a list of katas). Nothing was changed.');
  }
  if (typeof record.files !== 'object' || record.files === null) {
    throw new ProgressError('The progress file is damaged ("files" is missing). Nothing was changed.');
  }
  const files: Record<string, Files> = {};
  for (const [slug, set] of Object.entries(record.files)) {
    if (!knownKatas.includes(slug)) continue; // a kata this site no longer has
    if (!isFiles(set)) throw new ProgressError(`The progress file is damaged (the files of "${slug}" are not text). Nothing was changed.`);
    files[slug] = set;
  }
  return { ...(record as Progress), solved: record.solved.filter((slug) => knownKatas.includes(slug)), files };
}

function isFiles(value: unknown): value is Files {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    Object.entries(value).every(([path, text]) => /^[\w./-]+$/.test(path) && typeof text === 'string' && text.length <= MAX_FILE_CHARS);
}

// ---- share links: the code travels in the URL's fragment, never to a server ----

export function shareFragment(slug: string, files: Files): string {
  return `#share=${compressToEncodedURIComponent(JSON.stringify({ kata: slug, files }))}`;
}

export function readShareFragment(hash: string, slug: string): Files | undefined {
  const match = /^#share=(.+)$/.exec(hash);
  if (!match) return undefined;
  const text = decompressFromEncodedURIComponent(match[1]!);
  let data: { kata?: unknown; files?: unknown } | null = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!data || !isFiles(data.files)) throw new ProgressError('This share link is damaged: its code could not be read. Your own code is unchanged.');
  if (data.kata !== slug) throw new ProgressError(`This share link is for the kata "${String(data.kata)}", not this one. Your own code is unchanged.`);
  return data.files;
}
