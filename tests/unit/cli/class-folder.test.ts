// Reading a class folder and planning its grading: every entry is graded or refused with a reason, in a fixed order.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readClassFolder, type Entry } from '../../../src/cli/grade/collect.ts';
import { handInText, makeHandIn } from '../../../src/cli/grade/hand-in.ts';
import { planGrading } from '../../../src/cli/grade/plan.ts';
import { inOrder } from '../../../src/cli/grade/run.ts';
import { RefusedFile, writeHandedIn } from '../../../src/cli/learner-copy.ts';
import { MAX_HAND_IN_FILE_BYTES } from '../../../src/cli/limits.ts';

const POSIX = process.platform !== 'win32';
const APP = 'export default {};';
const scratch = mkdtempSync(join(tmpdir(), 'dojo-class-folder-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let made = 0;
function folder(name: string): string {
  const path = join(scratch, `${made++}-${name}`);
  mkdirSync(path);
  return path;
}

const exported = (files: Record<string, Record<string, string>>, solved: string[] = []) =>
  JSON.stringify({ format: 'stateless-dojo-progress', version: 1, exportedAt: '2026-11-22T06:00:00.000Z', solved, files });

describe('reading a class folder', () => {
  it('takes hand-ins, exports and learner folders, sorted, naming each learner from the hand-in or else the file', async () => {
    const dir = folder('class');
    writeFileSync(join(dir, 'zed.json'), handInText(makeHandIn({ solved: [], files: { 'visit-counter': { 'app.ts': APP } } }, 'Ada Lovelace', 'now')));
    writeFileSync(join(dir, 'stateless-dojo-progress (2).json'), exported({ sessions: { 'app.ts': APP } }, ['sessions']));
    mkdirSync(join(dir, 'carol'));
    const { entries, skipped } = await readClassFolder(dir);
    expect(skipped).toEqual([]);
    expect(entries).toEqual([
      { learner: 'carol', source: 'carol', kind: 'folder', path: join(dir, 'carol') },
      { learner: 'stateless-dojo-progress (2)', source: 'stateless-dojo-progress (2).json', kind: 'hand-in', solved: ['sessions'], files: { sessions: { 'app.ts': APP } } },
      { learner: 'Ada Lovelace', source: 'zed.json', kind: 'hand-in', solved: [], files: { 'visit-counter': { 'app.ts': APP } } },
    ]);
  });

  it('refuses a corrupt, foreign or empty file with the reason, and passes over dot-files, other files and a saved grades report', async () => {
    const dir = folder('class');
    writeFileSync(join(dir, 'cut.json'), exported({ sessions: { 'app.ts': APP } }).slice(0, 50));
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'package.json'), '{"name": "x"}');
    writeFileSync(join(dir, 'grades.json'), '{"format": "stateless-dojo-grades", "version": 2}');
    writeFileSync(join(dir, 'notes.md'), '# notes');
    writeFileSync(join(dir, '.DS_Store'), 'x');
    const { entries, skipped } = await readClassFolder(dir);
    expect(entries.map((entry) => [entry.source, entry.kind === 'refused' ? entry.message : entry.kind])).toEqual([
      ['cut.json', expect.stringMatching(/^cut\.json: not JSON, so not a hand-in or progress file \(/)],
      ['empty.json', 'empty.json: the file is empty'],
      ['package.json', 'package.json: not a Stateless Dojo hand-in or progress file (it has no "format" field)'],
    ]);
    expect(skipped).toEqual([
      "grades.json: a grades report written by `grade`, not a learner's hand-in",
      'notes.md: not a hand-in (.json) nor a learner\'s folder',
    ]);
  });

  it.runIf(POSIX)('refuses a linked hand-in or folder and a FIFO named .json without reading them', async () => {
    const dir = folder('class');
    symlinkSync('/etc/passwd', join(dir, 'passwd.json'));
    symlinkSync('/etc', join(dir, 'etc'));
    const fifo = spawnSync('mkfifo', [join(dir, 'pipe.json')]).status === 0;
    const { entries } = await readClassFolder(dir);
    expect(entries.map((entry) => entry.kind === 'refused' && entry.message)).toEqual([
      'etc: refused, a symbolic link (hand in a file or a folder)',
      'passwd.json: refused, a symbolic link (hand in a file or a folder)',
      ...(fifo ? ['pipe.json: refused, not a regular file'] : []),
    ].sort());
  });

  it('refuses a hand-in file over the size limit without reading it', async () => {
    const dir = folder('class');
    writeFileSync(join(dir, 'huge.json'), '');
    truncateSync(join(dir, 'huge.json'), MAX_HAND_IN_FILE_BYTES + 1); // sparse: no 10 MB written
    const { entries } = await readClassFolder(dir);
    expect(entries).toMatchObject([{ kind: 'refused', message: `huge.json: refused, ${MAX_HAND_IN_FILE_BYTES + 1} bytes (a hand-in file is limited to 10 MB)` }]);
  });
});

describe('planning the grading', () => {
  const KATAS = ['visit-counter', 'sessions', 'avatar-upload'];
  const ada: Entry = {
    learner: 'Ada', source: 'ada.json', kind: 'hand-in', solved: ['sessions', 'avatar-upload'],
    files: { sessions: { 'app.ts': APP }, 'visit-counter': { 'app.ts': APP }, 'old-kata': { 'app.ts': APP }, 'avatar-upload': {} },
  };
  const plan = (entries: Entry[], only?: string) => planGrading(entries, KATAS, only).map((unit) => [unit.who.learner, unit.kata, unit.input.kind === 'none' ? `${unit.input.status}: ${unit.input.message}` : unit.input.kind]);

  it('grades every kata a hand-in holds or marks solved, in course order; a claim without files is missing', () => {
    expect(plan([ada])).toEqual([
      ['Ada', 'visit-counter', 'files'],
      ['Ada', 'sessions', 'files'],
      ['Ada', 'avatar-upload', 'missing: ada.json: marked solved, but no files for avatar-upload (it has files for sessions, visit-counter, old-kata)'],
      ['Ada', 'old-kata', 'error: no kata named "old-kata" on this site (katas: visit-counter, sessions, avatar-upload)'],
    ]);
  });

  it('with a kata named, grades only that one, and a hand-in without it is missing', () => {
    expect(plan([ada], 'sessions')).toEqual([['Ada', 'sessions', 'files']]);
    const bob: Entry = { learner: 'Bob', source: 'bob.json', kind: 'hand-in', solved: [], files: {} };
    expect(plan([bob], 'sessions')).toEqual([['Bob', 'sessions', 'missing: bob.json: no files for sessions']]);
    expect(plan([bob])).toEqual([['Bob', null, "missing: bob.json: holds no kata's files"]]);
  });

  it('keeps a refused entry as an error row with its reason, and grades a folder for the named kata', () => {
    const refused: Entry = { learner: 'eve', source: 'eve.json', kind: 'refused', message: 'eve.json: the file is empty' };
    const carol: Entry = { learner: 'carol', source: 'carol', kind: 'folder', path: '/class/carol' };
    expect(plan([refused, carol], 'visit-counter')).toEqual([
      ['eve', 'visit-counter', 'error: eve.json: the file is empty'],
      ['carol', 'visit-counter', 'folder'],
    ]);
    expect(plan([refused])).toEqual([['eve', null, 'error: eve.json: the file is empty']]);
  });
});

describe('writing a hand-in\'s files for the sandbox', () => {
  it('writes them, folders included, inside the target only', async () => {
    const target = join(folder('work'), 'learner-0');
    expect(await writeHandedIn({ 'app.ts': APP, 'lib/store.ts': 'export {};' }, target)).toBe(2);
    expect(readFileSync(join(target, 'lib/store.ts'), 'utf8')).toBe('export {};');
  });

  it.each(['../escape.ts', 'lib/../../escape.ts', '/tmp/escape.ts'])('refuses %s, should one ever slip past the parser, and writes nothing outside', async (name) => {
    const work = folder('work');
    await expect(writeHandedIn({ [name]: 'x' }, join(work, 'learner-0'))).rejects.toBeInstanceOf(RefusedFile);
    expect(existsSync(join(work, 'escape.ts'))).toBe(false);
  });
});

describe('grading N at once', () => {
  /** Runs inOrder over 7 items whose work ends in the reverse of the order it started; notes the most at once. */
  async function run(jobs: number): Promise<{ results: string[]; most: number }> {
    const waiting: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const finished = inOrder(['a', 'b', 'c', 'd', 'e', 'f', 'g'], jobs, (item, index) => new Promise<string>((resolve) => {
      running += 1;
      most = Math.max(most, running);
      waiting.push(() => {
        running -= 1;
        resolve(`${item}${index}`);
      });
    }));
    let done = false;
    void finished.then(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve)); // let the pool start what it can
      waiting.pop()?.(); // the latest started ends first
    }
    return { results: await finished, most };
  }

  it.each([1, 2, 3, 10])('with %i at once, the results are in the items\' order and never more run at once', async (jobs) => {
    const { results, most } = await run(jobs);
    expect(results).toEqual(['a0', 'b1', 'c2', 'd3', 'e4', 'f5', 'g6']);
    expect(most).toBe(Math.min(jobs, 7));
  });
});
