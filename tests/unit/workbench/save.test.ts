// Keeping a learner's code: the limits on code from outside, share links, progress files, numbered saves, the unsaved copy.
import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { decompressBounded, TooLarge } from '../../../src/workbench/save/bounded-lz.ts';
import { isFileName, MAX_FILE_CHARS, MAX_LINK_CHARS, sortFiles } from '../../../src/workbench/save/files.ts';
import { readShareFragment, shareFragment } from '../../../src/workbench/save/share-link.ts';
import { buildProgress, parseProgress, planImport, ProgressError } from '../../../src/workbench/save/progress-file.ts';
import { readWork, WorkStore } from '../../../src/workbench/save/work-store.ts';
import { kataFileNames } from '../../../src/workbench/save/kata-names.ts';
import { watchTabs } from '../../../src/workbench/save/tabs.ts';

const NAMES = ['app.ts'];

describe('bounded decompression', () => {
  it('reads exactly what lz-string reads, for text of every shape', () => {
    const samples = ['a', 'hello world', 'ünïcödé 😀 '.repeat(40), JSON.stringify({ kata: 'x', files: { 'app.ts': 'let visits = 0;\n'.repeat(2000) } })];
    for (let i = 1; i < 120; i++) samples.push(Array.from({ length: i * 11 }, (_, j) => String.fromCharCode(32 + ((j * 31 + i * 7) % 2000))).join(''));
    for (const text of samples) {
      const encoded = compressToEncodedURIComponent(text);
      expect(decompressBounded(encoded, 10_000_000)).toBe(decompressFromEncodedURIComponent(encoded));
    }
  });

  it('stops as soon as the text passes the ceiling, however small the input', () => {
    const encoded = compressToEncodedURIComponent('a'.repeat(400_000));
    expect(encoded.length).toBeLessThan(2_000); // 400,000 characters from under 2,000: growth is quadratic
    expect(() => decompressBounded(encoded, 100_000)).toThrow(TooLarge);
    expect(decompressBounded(encoded, 400_000)).toHaveLength(400_000);
  });
});

describe('file names and sizes', () => {
  it('accepts names like a kata has, and refuses paths that climb out or start at the root', () => {
    for (const name of ['app.ts', 'lib/store.ts', 'a-b_c.json']) expect(isFileName(name)).toBe(true);
    for (const name of ['../app.ts', '/etc/passwd', 'a/../b.ts', '', 'a b.ts', 'lib//x.ts']) expect(isFileName(name)).toBe(false);
  });

  it("keeps the kata's own files within the limit, and names what it left out and why", () => {
    const sorted = sortFiles({ 'app.ts': 'ok', 'extra.ts': 'x', 'lib.ts': 'y' }, ['app.ts', 'lib.ts']);
    expect(sorted).toEqual({ kept: { 'app.ts': 'ok', 'lib.ts': 'y' }, foreign: ['extra.ts'], oversize: [] });
    const big = sortFiles({ 'app.ts': 'x'.repeat(MAX_FILE_CHARS + 1) }, NAMES);
    expect(big.oversize).toEqual(['app.ts']);
    expect(sortFiles({ 'app.ts': 'x'.repeat(MAX_FILE_CHARS + 1) }, NAMES, { anySize: true }).kept['app.ts']).toHaveLength(MAX_FILE_CHARS + 1);
  });
});

describe('share links', () => {
  it('carry a kata’s code and bring it back', () => {
    const shared = readShareFragment(shareFragment('visit-counter', { 'app.ts': 'mine' }), 'visit-counter', NAMES);
    expect(shared).toEqual({ files: { 'app.ts': 'mine' }, leftOut: '' });
    expect(readShareFragment('#other', 'visit-counter', NAMES)).toBeUndefined();
  });

  it('bring only the kata’s own files, and say which they left out', () => {
    const files: Record<string, string> = { 'app.ts': 'mine' };
    for (let i = 0; i < 250; i++) files[`junk${i}.ts`] = 'x';
    const shared = readShareFragment(shareFragment('visit-counter', files), 'visit-counter', NAMES)!;
    expect(Object.keys(shared.files)).toEqual(['app.ts']);
    expect(shared.leftOut).toMatch(/junk0\.ts.*this kata has no such file/);
  });

  it('that are too long are refused before any decompression', () => {
    expect(() => readShareFragment(`#share=${'A'.repeat(MAX_LINK_CHARS + 1)}`, 'visit-counter', NAMES)).toThrow(/too long/);
  });

  it('that expand to megabytes are refused while decompressing, and change nothing', () => {
    // A smaller ceiling than the real one (compressing megabytes with lz-string takes minutes).
    const bomb = `#share=${compressToEncodedURIComponent(JSON.stringify({ kata: 'visit-counter', files: { 'app.ts': 'a'.repeat(300_000) } }))}`;
    expect(() => readShareFragment(bomb, 'visit-counter', NAMES, { maxTextChars: 100_000 })).toThrow(/expands to more code than a kata can have/);
  });

  it('that are damaged, for another kata, or carry none of its files are refused with a reason', () => {
    expect(() => readShareFragment('#share=not-a-real-link', 'visit-counter', NAMES)).toThrow(/damaged/);
    expect(() => readShareFragment(shareFragment('sessions', { 'app.ts': 'x' }), 'visit-counter', NAMES)).toThrow(/for the kata "sessions"/);
    expect(() => readShareFragment(shareFragment('visit-counter', { 'evil.ts': 'x' }), 'visit-counter', NAMES)).toThrow(/none of this kata's files/);
  });
});

describe('progress files', () => {
  const KATAS = { 'visit-counter': ['app.ts'], sessions: ['app.ts'] };

  it('round-trip, leaving out katas and files this site does not have, and saying so', () => {
    const text = JSON.stringify(buildProgress({ 'visit-counter': { 'app.ts': 'v', 'extra.ts': 'e' }, gone: { 'app.ts': 'g' } }, ['visit-counter', 'gone']));
    const { progress, leftOut } = parseProgress(text, KATAS);
    expect(progress.files).toEqual({ 'visit-counter': { 'app.ts': 'v' } });
    expect(progress.solved).toEqual(['visit-counter']);
    expect(leftOut.sort()).toEqual(['extra.ts of visit-counter (that kata has no such file)', 'the code of "gone" (this site has no such kata)']);
  });

  it('that are not ours, damaged, or too large to parse are refused with "Nothing was changed"', () => {
    for (const text of ['nope', '{"name":"x"}', '{"format":"stateless-dojo-progress","version":1,"solved":"all","files":{}}', 'x'.repeat(30_000_001)]) {
      expect(() => parseProgress(text, KATAS)).toThrow(ProgressError);
      expect(() => parseProgress(text, KATAS)).toThrow(/Nothing was changed/);
    }
  });

  it('are planned before import: what each kata would get, and whether it replaces the learner’s own code', () => {
    const plan = planImport(
      { 'visit-counter': { 'app.ts': 'new' }, sessions: { 'app.ts': 'same' }, 'avatar-upload': { 'app.ts': 'a' } },
      { 'visit-counter': { 'app.ts': 'mine' }, sessions: { 'app.ts': 'same' } },
    );
    expect(plan).toEqual([{ slug: 'avatar-upload', replaces: false }, { slug: 'visit-counter', replaces: true }]);
    // The starter untouched is not "your own code".
    expect(planImport({ 'visit-counter': { 'app.ts': 'new' } }, { 'visit-counter': { 'app.ts': 'start' } }, { 'visit-counter': { 'app.ts': 'start' } }))
      .toEqual([{ slug: 'visit-counter', replaces: false }]);
  });

  it("know every kata's file names from the katas folder", () => {
    expect(kataFileNames()['visit-counter']).toEqual(['app.ts']);
    expect(Object.keys(kataFileNames())).toEqual(expect.arrayContaining(['visit-counter', 'sessions', 'avatar-upload']));
  });
});

/** localStorage as a Map (the unit tests have no DOM). */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() { return map.size; },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
}

describe('the work store', () => {
  it('reads the plain file maps saved before saves were numbered, and calls anything else damaged', () => {
    expect(readWork({ 'app.ts': 'x' })).toEqual({ kind: 'ok', work: { v: 2, files: { 'app.ts': 'x' }, rev: 0, tab: '', savedAt: 0 } });
    expect(readWork(undefined)).toEqual({ kind: 'none' });
    expect(readWork(42).kind).toBe('damaged');
    expect(readWork({ 'app.ts': 7 }).kind).toBe('damaged');
  });

  it('lets two tabs never overwrite each other unseen: the second save from an old revision is a conflict', async () => {
    const store = await new WorkStore(memoryStorage()).open();
    expect(await store.save('k', { 'app.ts': 'first' }, 0, 'tab-a')).toEqual({ kind: 'saved', rev: 1 });
    // Both tabs opened revision 1; A saves again, then B saves from revision 1.
    expect(await store.save('k', { 'app.ts': 'A' }, 1, 'tab-a')).toEqual({ kind: 'saved', rev: 2 });
    const outcome = await store.save('k', { 'app.ts': 'B' }, 1, 'tab-b');
    expect(outcome.kind).toBe('conflict');
    expect(outcome.kind === 'conflict' && outcome.theirs.files).toEqual({ 'app.ts': 'A' });
    expect((await store.load('k')).kind === 'ok' && ((await store.load('k')) as { work: { files: unknown } }).work.files).toEqual({ 'app.ts': 'A' });
    // The learner chose B: a forced save wins.
    expect(await store.save('k', { 'app.ts': 'B' }, 1, 'tab-b', true)).toEqual({ kind: 'saved', rev: 3 });
  });

  it('keeps a synchronous unsaved copy, and clears it only once a save holds that edit or a later one', async () => {
    const store = await new WorkStore(memoryStorage()).open();
    store.writeUnsaved('k', { files: { 'app.ts': 'typed' }, baseRev: 1, tab: 'a', edit: 5, at: 1 });
    store.clearUnsaved('k', 'a', 4);
    expect(store.readUnsaved('k')).toMatchObject({ edit: 5 });
    store.clearUnsaved('k', 'b', 9);
    expect(store.readUnsaved('k')).toMatchObject({ edit: 5 });
    store.clearUnsaved('k', 'a', 5);
    expect(store.readUnsaved('k')).toBeUndefined();
  });

  it('keeps backups newest first, a dozen at most', async () => {
    const store = await new WorkStore(memoryStorage()).open();
    for (let i = 0; i < 14; i++) await store.addBackup({ reason: `r${i}`, files: { k: { 'app.ts': String(i) } } });
    const backups = await store.backups();
    expect(backups).toHaveLength(12);
    expect(backups[0]!.reason).toBe('r13');
  });
});

describe('tabs', () => {
  it('on one kata notice each other and hear of each other’s saves; other katas stay quiet', async () => {
    const heard: string[] = [];
    const a = watchTabs('k', 'A', { onOther: (tab) => heard.push(`A met ${tab}`), onSaved: (tab, rev) => heard.push(`A heard ${tab} saved ${rev}`), onGone: (tab, left) => heard.push(`A saw ${tab} go, ${left} left`) }, new BroadcastChannel('t'));
    const b = watchTabs('k', 'B', { onOther: (tab) => heard.push(`B met ${tab}`), onSaved: () => undefined }, new BroadcastChannel('t'));
    const c = watchTabs('other', 'C', { onOther: (tab) => heard.push(`C met ${tab}`), onSaved: () => undefined }, new BroadcastChannel('t'));
    b.saved(7);
    await expect.poll(() => heard).toEqual(expect.arrayContaining(['A met B', 'B met A', 'A heard B saved 7']));
    expect(heard.some((line) => line.startsWith('C'))).toBe(false);
    b.close();
    await expect.poll(() => heard).toContain('A saw B go, 0 left');
    a.close();
    c.close();
  });
});
