// Where a learner's code lives in this browser: IndexedDB (each save numbered, so tabs cannot overwrite each other
// unseen), a synchronous copy in localStorage for the moment a page goes away, and backups of replaced code.
import { createStore, get, set, update, type UseStore } from 'idb-keyval';
import { isFiles, type Files } from './files.ts';

/** A kata's saved code: `rev` counts saves, `tab` names the page that saved it. */
export interface SavedWork {
  v: 2;
  files: Files;
  rev: number;
  tab: string;
  savedAt: number;
}

/** What loading a kata's saved code found. */
export type Loaded =
  | { kind: 'none' }
  | { kind: 'ok'; work: SavedWork }
  /** something is stored but cannot be read as code: kept as it is, to back up */
  | { kind: 'damaged'; raw: unknown };

/** The code a page had not yet saved when it was hidden or closed (written synchronously, see keeper.ts). */
export interface Unsaved {
  files: Files;
  /** the save this code was edited from */
  baseRev: number;
  tab: string;
  /** which edit of that page this is (pages count their edits) */
  edit: number;
  at: number;
}

export interface Backup {
  id: string;
  at: number;
  /** why it was taken, in plain words ("before importing progress.json") */
  reason: string;
  /** code per kata; for a damaged save, the raw value instead */
  files: Record<string, Files>;
  raw?: unknown;
  solved?: string[];
}

const KEEP_BACKUPS = 12;

/** Reads what is stored under a kata's key: today's record, or the plain file map saved before numbered saves. */
export function readWork(value: unknown): Loaded {
  if (value === undefined || value === null) return { kind: 'none' };
  if (isFiles(value)) return { kind: 'ok', work: { v: 2, files: value, rev: 0, tab: '', savedAt: 0 } };
  const record = value as Partial<SavedWork>;
  if (typeof record === 'object' && record.v === 2 && isFiles(record.files) && Number.isInteger(record.rev) && typeof record.tab === 'string') {
    return { kind: 'ok', work: { v: 2, files: record.files, rev: record.rev!, tab: record.tab, savedAt: Number(record.savedAt) || 0 } };
  }
  return { kind: 'damaged', raw: value };
}

export type SaveOutcome =
  | { kind: 'saved'; rev: number }
  /** another page saved since `baseRev`: nothing was written; theirs is what is stored */
  | { kind: 'conflict'; theirs: SavedWork }
  | { kind: 'failed'; problem: string };

export class WorkStore {
  #db: UseStore | undefined;
  readonly #memory = new Map<string, unknown>();
  available = false;
  problem = '';
  readonly #local: Storage | undefined;

  constructor(local: Storage | undefined = safeLocalStorage()) {
    this.#local = local;
  }

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

  async #get(key: string): Promise<unknown> {
    if (!this.#db) return this.#memory.get(key);
    try {
      return await get(key, this.#db);
    } catch {
      return this.#memory.get(key);
    }
  }

  async load(slug: string): Promise<Loaded> {
    return readWork(await this.#get(`files:${slug}`));
  }

  /**
   * Save `files` if what is stored is still the save `baseRev` (or `force`): one transaction reads and writes, so two
   * tabs can never both win. A damaged record is never overwritten here (the page backs it up first, then forces).
   */
  async save(slug: string, files: Files, baseRev: number, tab: string, force = false): Promise<SaveOutcome> {
    const key = `files:${slug}`;
    let outcome: SaveOutcome = { kind: 'failed', problem: 'not saved' };
    const next = (current: unknown): unknown => {
      const loaded = readWork(current);
      const rev = loaded.kind === 'ok' ? loaded.work.rev : 0;
      if (!force && loaded.kind === 'ok' && rev !== baseRev && loaded.work.tab !== tab) {
        outcome = { kind: 'conflict', theirs: loaded.work };
        return current;
      }
      if (!force && loaded.kind === 'damaged') {
        outcome = { kind: 'failed', problem: 'the saved code is damaged' };
        return current;
      }
      const saved: SavedWork = { v: 2, files: { ...files }, rev: Math.max(rev, baseRev) + 1, tab, savedAt: Date.now() };
      outcome = { kind: 'saved', rev: saved.rev };
      return saved;
    };
    if (!this.#db) {
      this.#memory.set(key, next(this.#memory.get(key)));
      return outcome;
    }
    try {
      await update(key, next, this.#db);
      return outcome;
    } catch (error) {
      this.problem = error instanceof Error ? error.message : String(error);
      this.#memory.set(key, next(this.#memory.get(key)));
      return { kind: 'failed', problem: this.problem };
    }
  }

  /** Every kata's saved code (for Export progress). */
  async allWork(slugs: readonly string[]): Promise<Record<string, Files>> {
    const all: Record<string, Files> = {};
    for (const slug of slugs) {
      const loaded = await this.load(slug);
      if (loaded.kind === 'ok') all[slug] = loaded.work.files;
    }
    return all;
  }

  // ---- the synchronous copy: localStorage, written when the page is hidden or goes away ----

  writeUnsaved(slug: string, unsaved: Unsaved): boolean {
    try {
      this.#local?.setItem(`dojo-unsaved:${slug}`, JSON.stringify(unsaved));
      return this.#local !== undefined;
    } catch {
      return false; // over quota: the IndexedDB save under way is then the only copy
    }
  }

  readUnsaved(slug: string): Unsaved | { damaged: string } | undefined {
    let text: string | null | undefined;
    try {
      text = this.#local?.getItem(`dojo-unsaved:${slug}`);
    } catch {
      return undefined;
    }
    if (!text) return undefined;
    try {
      const value = JSON.parse(text) as Partial<Unsaved>;
      if (isFiles(value.files) && Number.isInteger(value.baseRev) && typeof value.tab === 'string' && Number.isInteger(value.edit)) return value as Unsaved;
    } catch {
      // fall through
    }
    return { damaged: text };
  }

  clearUnsaved(slug: string, tab?: string, upToEdit = Infinity): void {
    const unsaved = this.readUnsaved(slug);
    if (!unsaved) return;
    if (tab !== undefined && 'tab' in unsaved && (unsaved.tab !== tab || unsaved.edit > upToEdit)) return;
    try {
      this.#local?.removeItem(`dojo-unsaved:${slug}`);
    } catch {
      // nothing to do
    }
  }

  // ---- backups: code that was replaced (import, another tab's save, a damaged save), to restore ----

  async backups(): Promise<Backup[]> {
    const list = await this.#get('backups');
    return Array.isArray(list) ? (list as Backup[]) : [];
  }

  async addBackup(backup: Omit<Backup, 'id' | 'at'>): Promise<Backup> {
    const stamped: Backup = { ...backup, id: `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`, at: Date.now() };
    const add = (list: unknown) => [stamped, ...(Array.isArray(list) ? list : [])].slice(0, KEEP_BACKUPS);
    if (this.#db) {
      try {
        await update('backups', add, this.#db);
        return stamped;
      } catch {
        // kept in memory below
      }
    }
    this.#memory.set('backups', add(this.#memory.get('backups')));
    return stamped;
  }
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}
