// Keeps a learner's code for one kata page: every edit saved at once, a synchronous copy when the page goes away,
// other tabs noticed and never overwritten unseen, and every replaced version kept as a backup to restore.
import { readSolved, writeSolved } from '../../utils/progress-marks.ts';
import { listNames, MAX_FILE_CHARS, MAX_LINK_CHARS, oversizeFiles, sameFiles, size, sortFiles, type Files } from './files.ts';
import { kataFileNames } from './kata-names.ts';
import { buildProgress, parseProgress, planImport, ProgressError, type Progress } from './progress-file.ts';
import { readShareFragment, shareFragment, SHARE_PREFIX } from './share-link.ts';
import { savePanel, type SavePanel } from './save-panel.ts';
import { watchTabs, type Tabs } from './tabs.ts';
import { WorkStore, type Backup, type SavedWork } from './work-store.ts';

export interface KeeperOptions {
  root: HTMLElement;
  slug: string;
  starter: Files;
  /** every kata's slug (for Export progress) */
  katas: readonly string[];
  /** put code into the editor (the page's choice, not the learner's typing: no change event follows) */
  show(files: Files): void;
  /** a sentence about Import, Export or a share link, for the page's progress status */
  status(text: string): void;
  store?: WorkStore;
  location?: Pick<Location, 'hash' | 'pathname' | 'origin'>;
}

export async function openWork(options: KeeperOptions): Promise<WorkKeeper> {
  const keeper = new WorkKeeper(options, await (options.store ?? new WorkStore()).open());
  await keeper.start();
  return keeper;
}

export class WorkKeeper {
  /** the code the page opens with: a share link, else the unsaved copy, else the saved code, else the starter */
  initial: Files;
  readonly tab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  readonly panel: SavePanel;
  readonly #options: KeeperOptions;
  readonly #store: WorkStore;
  readonly #names: string[];
  #files: Files;
  #baseRev = 0;
  /** edits counted from page load; `#savedEdit` is the last one stored */
  #edit = 0;
  #savedEdit = 0;
  #writing = false;
  #force = false;
  #conflict = false;
  #failed = false;
  #tabs: Tabs | undefined;

  constructor(options: KeeperOptions, store: WorkStore) {
    this.#options = options;
    this.#store = store;
    this.#names = Object.keys(options.starter).sort();
    this.initial = this.#files = { ...options.starter };
    this.panel = savePanel();
    const anchor = options.root.querySelector('[data-storage-notice]');
    if (anchor) anchor.after(this.panel);
    else options.root.prepend(this.panel);
  }

  get files(): Files {
    return { ...this.#files };
  }

  async start(): Promise<void> {
    const { slug, starter } = this.#options;
    const store = this.#store;
    if (!store.available) {
      this.#storageProblem(`Your code cannot be saved in this browser (${store.problem || 'storage is unavailable'}). Everything still works; use “Export progress” to keep your work.`);
    }
    let files: Files = { ...starter };
    let needsSave = false;
    const loaded = await store.load(slug);
    let stored: SavedWork | undefined;
    if (loaded.kind === 'damaged') {
      await store.addBackup({ reason: 'damaged saved code (could not be read)', files: {}, raw: loaded.raw });
      this.#force = true;
      this.panel.notice('damaged', 'The code saved for this kata could not be read: it is damaged. It is kept, as it was, among the backups below (you can download it). You start from the starter code.', [], 'warn');
    } else if (loaded.kind === 'ok') {
      stored = loaded.work;
      this.#baseRev = stored.rev;
      const sorted = sortFiles(stored.files, this.#names, { anySize: true });
      files = { ...starter, ...sorted.kept };
      if (sorted.foreign.length) {
        await store.addBackup({ reason: `files this kata does not have (${listNames(sorted.foreign)})`, files: { [slug]: stored.files } });
        this.panel.notice('foreign', `Your saved code had files this kata does not have (${listNames(sorted.foreign)}). They are left out of the editor and kept in a backup below.`);
        needsSave = true;
      }
    }

    const unsaved = store.readUnsaved(slug);
    if (unsaved && 'damaged' in unsaved) {
      await store.addBackup({ reason: 'damaged unsaved copy (could not be read)', files: {}, raw: unsaved.damaged });
      store.clearUnsaved(slug);
    } else if (unsaved) {
      const sorted = sortFiles(unsaved.files, this.#names, { anySize: true });
      const candidate = { ...starter, ...sorted.kept };
      // The copy a page wrote as it went away is newer than the save it was edited from, or than its own saves.
      const newer = !stored || unsaved.baseRev === stored.rev || unsaved.tab === stored.tab;
      if (newer && !sameFiles(candidate, files)) {
        files = candidate;
        needsSave = true;
      } else if (!newer && !sameFiles(candidate, files)) {
        await store.addBackup({ reason: 'code another tab had not saved when it closed (the saved code is newer)', files: { [slug]: unsaved.files } });
        this.panel.notice('unsaved', 'Code that another tab had not saved when it closed is kept in a backup below; the code in the editor is newer.');
      }
      store.clearUnsaved(slug);
    }

    const location = this.#options.location ?? globalThis.location;
    try {
      const shared = readShareFragment(location.hash, slug, this.#names);
      if (shared) {
        const theirs = { ...starter, ...shared.files };
        const mine = !sameFiles(files, starter) && !sameFiles(files, theirs);
        if (mine && !(await this.panel.ask('Open the shared code?', 'It replaces your own code for this kata in the editor. Your code is kept in a backup you can restore.', [], 'Open the shared code'))) {
          this.#options.status('Kept your own code; the shared code was not opened.');
        } else {
          if (mine) await store.addBackup({ reason: 'before opening a share link', files: { [slug]: files } });
          files = theirs;
          needsSave = true;
          this.#options.status(`Loaded the code from the share link.${shared.leftOut ? ` ${shared.leftOut}` : ''}`);
        }
      }
    } catch (error) {
      this.#options.status(error instanceof ProgressError ? error.message : `The share link could not be read: ${(error as Error).message}`);
    }
    if (location.hash.startsWith(SHARE_PREFIX)) history.replaceState(null, '', location.pathname);

    this.initial = this.#files = files;
    this.#checkSize();
    if (needsSave || this.#force) this.changed(files);
    this.#tabs = watchTabs(slug, this.tab, {
      onOther: () => this.panel.notice('tabs', 'This kata is open in another tab too. Each tab saves its own code; if both change it, you are asked which code to keep.'),
      onSaved: (_tab, rev) => {
        if (rev !== this.#baseRev) this.#enterConflict();
      },
      onGone: (_tab, remaining) => remaining === 0 && this.panel.clear('tabs'),
    });
    // The page may go away before the save under way is stored: a synchronous copy, read back on the next visit.
    addEventListener('pagehide', (event) => {
      this.flushSync();
      if (!event.persisted) this.#tabs?.close(); // a page kept for Back keeps listening when it comes back
    });
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && this.flushSync());
    await this.#showBackups();
  }

  /** The learner (or the page: Reset, Show solution…) changed the code: store it now. */
  changed(files: Files): void {
    this.#files = { ...files };
    this.#edit += 1;
    this.#checkSize();
    void this.#pump();
  }

  /** Writes what is not yet stored to localStorage, synchronously (pagehide, hidden tab). */
  flushSync(): void {
    if (this.#savedEdit >= this.#edit) return;
    this.#store.writeUnsaved(this.#options.slug, { files: this.#files, baseRev: this.#baseRev, tab: this.tab, edit: this.#edit, at: Date.now() });
  }

  /** Resolves once every edit so far is stored (or saving is paused: another tab, a refusal). */
  async settled(): Promise<void> {
    while (this.#writing) await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.#savedEdit < this.#edit && !this.#conflict && !this.#failed) await this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#writing || this.#conflict) return;
    const { slug } = this.#options;
    while (this.#savedEdit < this.#edit && !this.#conflict) {
      this.#writing = true;
      const edit = this.#edit;
      const outcome = await this.#store.save(slug, this.#files, this.#baseRev, this.tab, this.#force);
      this.#writing = false;
      if (outcome.kind === 'saved') {
        this.#baseRev = outcome.rev;
        this.#force = false;
        this.#savedEdit = edit;
        this.#tabs?.saved(outcome.rev);
        this.#store.clearUnsaved(slug, this.tab, edit);
        if (this.#failed) {
          this.#failed = false;
          this.panel.clear('failed');
        }
      } else if (outcome.kind === 'conflict') {
        this.#enterConflict();
      } else {
        if (!this.#failed && this.#store.available) {
          this.panel.notice('failed', `Your latest changes could not be saved (${outcome.problem}). They are still in this tab; use “Export progress” to keep them.`, [], 'warn');
        }
        this.#failed = true;
        return;
      }
    }
  }

  /** Another tab saved this kata: stop saving here until the learner says which code to keep. */
  #enterConflict(): void {
    if (this.#conflict) return;
    this.#conflict = true;
    const { slug, starter } = this.#options;
    this.panel.notice('conflict', 'Another tab saved different code for this kata. This tab stopped saving, so neither overwrites the other. Which code do you want to keep working on? The other one is kept in a backup.', [
      {
        label: 'Keep the code in this tab',
        run: async () => {
          const theirs = await this.#store.load(slug);
          if (theirs.kind === 'ok') await this.#store.addBackup({ reason: 'the other tab’s code, replaced by this tab’s', files: { [slug]: theirs.work.files } });
          this.#conflict = false;
          this.#force = true;
          this.#edit += 1;
          await this.#pump();
          await this.#showBackups();
          this.#options.status('Kept the code in this tab; the other tab’s code is in a backup.');
        },
      },
      {
        label: 'Use the other tab’s code',
        run: async () => {
          const theirs = await this.#store.load(slug);
          await this.#store.addBackup({ reason: 'this tab’s code, replaced by the other tab’s', files: { [slug]: this.#files } });
          if (theirs.kind === 'ok') {
            this.#files = { ...starter, ...sortFiles(theirs.work.files, this.#names, { anySize: true }).kept };
            this.#baseRev = theirs.work.rev;
            this.#savedEdit = this.#edit;
            this.#options.show(this.#files);
          }
          this.#conflict = false;
          await this.#showBackups();
          this.#options.status('Opened the other tab’s code; this tab’s code is in a backup.');
        },
      },
    ], 'warn');
  }

  #checkSize(): void {
    const big = oversizeFiles(this.#files);
    if (big.length === 0) {
      this.panel.clear('oversize');
      return;
    }
    const largest = Math.max(...big.map((name) => this.#files[name]!.length));
    this.panel.notice('oversize', `${listNames(big)} ${big.length === 1 ? 'is' : 'are'} larger than ${size(MAX_FILE_CHARS)} (${size(largest)}). It is saved in this browser, but share links and progress files do not carry files this large.`, [], 'warn');
  }

  #storageProblem(text: string): void {
    const notice = this.#options.root.querySelector<HTMLElement>('[data-storage-notice]');
    if (notice) {
      notice.hidden = false;
      notice.textContent = text;
    } else {
      this.panel.notice('storage', text, [], 'warn');
    }
  }

  // ---- leaving this browser: share links, export, import ----

  shareUrl(): string {
    const { slug } = this.#options;
    const location = this.#options.location ?? globalThis.location;
    const big = oversizeFiles(this.#files);
    if (big.length) throw new ProgressError(`${listNames(big)} ${big.length === 1 ? 'is' : 'are'} too large for a share link (over ${size(MAX_FILE_CHARS)}). Use “Export progress” instead.`);
    const fragment = shareFragment(slug, this.#files);
    if (fragment.length > MAX_LINK_CHARS) throw new ProgressError(`Your code is too large for a share link (${size(fragment.length)}). Use “Export progress” instead.`);
    return `${location.origin}${location.pathname}${fragment}`;
  }

  async exportProgress(): Promise<{ progress: Progress; status: string }> {
    await this.settled();
    const files = await this.#store.allWork(this.#options.katas);
    files[this.#options.slug] = this.files;
    const progress = buildProgress(files, readSolved());
    const count = Object.keys(progress.files).length;
    const big = Object.entries(files).flatMap(([slug, set]) => oversizeFiles(set).map((name) => `${name} of ${slug}`));
    const status = `Exported your progress (${count} kata${count === 1 ? '' : 's'}, ${progress.solved.length} solved).` +
      (big.length ? ` ${listNames(big)} ${big.length === 1 ? 'is' : 'are'} over ${size(MAX_FILE_CHARS)}: Import progress will leave ${big.length === 1 ? 'it' : 'them'} out.` : '');
    return { progress, status };
  }

  /** Check the file, say what it would replace and ask; back up what it replaces, then import. Returns the status. */
  async importProgress(text: string, fileName: string): Promise<string> {
    const { slug, starter } = this.#options;
    const { progress, leftOut } = parseProgress(text, kataFileNames());
    const current: Record<string, Files | undefined> = {};
    for (const other of Object.keys(progress.files)) {
      if (other === slug) current[other] = this.files;
      else {
        const loaded = await this.#store.load(other);
        current[other] = loaded.kind === 'ok' ? loaded.work.files : undefined;
      }
    }
    const changes = planImport(progress.files, current, { [slug]: starter });
    const solvedBefore = readSolved();
    const newlySolved = progress.solved.filter((done) => !solvedBefore.has(done));
    const leftOutText = leftOut.length ? ` Left out: ${leftOut.join('; ')}.` : '';
    if (changes.length === 0 && newlySolved.length === 0) return `Nothing to import: your code and marks are already the same as in ${fileName}.${leftOutText}`;
    const items = [
      ...changes.map((change) => `${change.slug}${change.slug === slug ? ' (open here)' : ''}: ${change.replaces ? 'replaces your code' : 'adds code (you have none of your own yet)'}`),
      ...(newlySolved.length ? [`marks ${listNames(newlySolved)} as solved`] : []),
      ...leftOut.map((part) => `left out: ${part}`),
    ];
    const yes = await this.panel.ask('Import this progress?', `Importing ${fileName} changes what is listed below. Your code as it is now is kept in a backup you can restore.`, items, 'Import, and keep a backup');
    if (!yes) return 'Import cancelled. Nothing was changed.';
    const replaced: Record<string, Files> = {};
    for (const change of changes) if (current[change.slug]) replaced[change.slug] = current[change.slug]!;
    const backup = await this.#store.addBackup({ reason: `before importing ${fileName}`, files: replaced, solved: [...solvedBefore] });
    for (const change of changes) {
      const incoming = progress.files[change.slug]!;
      if (change.slug === slug) this.#replaceHere({ ...starter, ...incoming });
      else await this.#store.save(change.slug, { ...current[change.slug], ...incoming }, 0, this.tab, true);
    }
    writeSolved([...solvedBefore, ...progress.solved]);
    await this.settled();
    await this.#showBackups();
    this.panel.notice('import', `Imported ${fileName}. Your code from before is in a backup.`, [{ label: 'Undo the import', run: () => this.restore(backup) }]);
    return `Imported your progress: code for ${changes.length} kata${changes.length === 1 ? '' : 's'}, ${progress.solved.length} solved.${leftOutText}`;
  }

  /** Put a backup's code back (backing up what it replaces first). */
  async restore(backup: Backup): Promise<void> {
    const { slug, starter } = this.#options;
    const slugs = Object.keys(backup.files);
    if (slugs.length === 0) return;
    const replaced: Record<string, Files> = {};
    for (const other of slugs) {
      if (other === slug) replaced[other] = this.files;
      else {
        const loaded = await this.#store.load(other);
        if (loaded.kind === 'ok') replaced[other] = loaded.work.files;
      }
    }
    await this.#store.addBackup({ reason: `before restoring “${backup.reason}”`, files: replaced });
    for (const other of slugs) {
      if (other === slug) this.#replaceHere({ ...starter, ...sortFiles(backup.files[other]!, this.#names, { anySize: true }).kept });
      else await this.#store.save(other, backup.files[other]!, 0, this.tab, true);
    }
    await this.settled();
    await this.#showBackups();
    this.#options.status(`Restored the backup “${backup.reason}”.`);
  }

  #replaceHere(files: Files): void {
    this.#options.show(files);
    this.#force = true;
    this.#conflict = false;
    this.panel.clear('conflict');
    this.changed(files);
  }

  async #showBackups(): Promise<void> {
    const backups = await this.#store.backups();
    const when = (at: number) => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
    this.panel.showBackups(backups.map((backup) => {
      const katas = Object.keys(backup.files);
      return {
        label: `${when(backup.at)}: ${backup.reason}${katas.length ? ` (${katas.join(', ')})` : ''}`,
        actions: [
          ...(katas.length ? [{ label: 'Restore', run: () => this.restore(backup) }] : []),
          { label: 'Download', run: () => download(`stateless-dojo-backup-${backup.id}.json`, JSON.stringify(backup, null, 2)) },
        ],
      };
    }));
  }
}

function download(name: string, text: string): void {
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
