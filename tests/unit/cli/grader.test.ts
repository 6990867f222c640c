// The grader's defences: learners' files copied with care, a sandboxed child with nothing of the grader's, output that
// is never cut, temporary folders that never outlive a run, and one learner's hand-in that never sinks another's.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyLearner, MAX_FILE_BYTES, RefusedFile } from '../../../src/cli/learner-copy.ts';
import { checked, childEnv, childFlags } from '../../../src/cli/sandbox.ts';
import { handInText, makeHandIn } from '../../../src/cli/grade/hand-in.ts';
import { CSV_COLUMNS } from '../../../src/cli/grade/formats/csv.ts';
import { elements, parseCsv, parseXml, type XmlElement } from './read-formats.ts';

const ROOT = new URL('../../../', import.meta.url).pathname;
const KATA = join(ROOT, 'katas/visit-counter');
const SPAWNS = {}; // the global test time-out (vitest.config.ts) is the last resort
const POSIX = process.platform !== 'win32';

const scratch = mkdtempSync(join(tmpdir(), 'dojo-grader-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let made = 0;
/** A fresh empty folder for one test. */
function folder(name: string): string {
  const path = join(scratch, `${made++}-${name}`);
  mkdirSync(path);
  return path;
}

/** A class folder: learner name → kata folder to copy (solution, starter, wrong/...) or a function that fills it. */
function classFolder(learners: Record<string, string | ((dir: string) => void)>): string {
  const dir = folder('class');
  for (const [name, from] of Object.entries(learners)) {
    if (typeof from === 'string') cpSync(join(KATA, from), join(dir, name), { recursive: true });
    else {
      mkdirSync(join(dir, name));
      from(join(dir, name));
    }
  }
  return dir;
}

describe('copying a learner\'s folder', () => {
  it('copies the code files and leaves tool folders behind', async () => {
    const source = folder('source');
    mkdirSync(join(source, 'lib'));
    mkdirSync(join(source, 'node_modules'));
    mkdirSync(join(source, '.git'));
    writeFileSync(join(source, 'app.ts'), 'export default {};');
    writeFileSync(join(source, 'lib/util.ts'), 'export const x = 1;');
    writeFileSync(join(source, 'node_modules/dep.js'), 'module.exports = 1;');
    writeFileSync(join(source, '.git/HEAD.txt'), 'ref');
    const target = join(folder('target'), 'copy');
    expect(await copyLearner(source, target)).toBe(2);
    expect(readFileSync(join(target, 'lib/util.ts'), 'utf8')).toBe('export const x = 1;');
    expect(existsSync(join(target, 'node_modules'))).toBe(false);
    expect(existsSync(join(target, '.git'))).toBe(false);
  });

  it.runIf(POSIX)('refuses a symbolic link to /etc/passwd, naming it, whatever its name', async () => {
    const source = folder('source');
    writeFileSync(join(source, 'app.ts'), 'export default {};');
    mkdirSync(join(source, 'data'));
    symlinkSync('/etc/passwd', join(source, 'data/users'));
    const refusal = copyLearner(source, join(folder('target'), 'copy'));
    await expect(refusal).rejects.toBeInstanceOf(RefusedFile);
    await expect(refusal).rejects.toThrow('data/users: refused, a symbolic link');
  });

  it.runIf(POSIX)('refuses a symbolic link to a folder rather than walking into it', async () => {
    const source = folder('source');
    symlinkSync('/etc', join(source, 'lib'));
    await expect(copyLearner(source, join(folder('target'), 'copy'))).rejects.toThrow('lib: refused, a symbolic link');
  });

  it.runIf(POSIX && spawnSync('mkfifo', ['--help']).error === undefined)('refuses a FIFO instead of waiting on it', async () => {
    const source = folder('source');
    expect(spawnSync('mkfifo', [join(source, 'app.ts')]).status).toBe(0);
    await expect(copyLearner(source, join(folder('target'), 'copy'))).rejects.toThrow('app.ts: refused, a FIFO');
  });

  it('refuses a file over 1 MB, naming it', async () => {
    const source = folder('source');
    writeFileSync(join(source, 'app.ts'), 'export default {};');
    writeFileSync(join(source, 'big.json'), 'x'.repeat(MAX_FILE_BYTES + 1));
    await expect(copyLearner(source, join(folder('target'), 'copy'))).rejects.toThrow(/^big\.json: refused, 1048577 bytes/);
  });

  it('refuses a hand-in over 5 MB in all, naming the file that crosses the limit', async () => {
    const source = folder('source');
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) writeFileSync(join(source, `${name}.txt`), 'x'.repeat(MAX_FILE_BYTES));
    await expect(copyLearner(source, join(folder('target'), 'copy'))).rejects.toThrow('f.txt: refused, the hand-in is over 5 MB in all');
  });
});

describe('the sandboxed child', () => {
  it('gets an empty environment but for PATH, the colour and CI switches and the bundled process entry', () => {
    const grader = {
      PATH: '/usr/bin', HOME: '/home/teacher', GITHUB_TOKEN: 'ghp_secret', AWS_SECRET_ACCESS_KEY: 'secret',
      NODE_OPTIONS: '--require ./hook.cjs', CI: 'true', NO_COLOR: '1', DOJO_SANDBOX: 'on',
    };
    expect(childEnv(grader, '/tmp/dojo-grade-x/process-entry.cjs')).toEqual({
      PATH: '/usr/bin', CI: 'true', NO_COLOR: '1', DOJO_PROCESS_ENTRY_FILE: '/tmp/dojo-grade-x/process-entry.cjs',
    });
  });

  it('may read the engine, the katas and the copy it is given, and neither the original hand-in, the rest of the repository nor anything else', SPAWNS, () => {
    const original = folder('original');
    const copy = folder('copy');
    writeFileSync(join(original, 'app.ts'), 'original');
    writeFileSync(join(copy, 'app.ts'), 'copy');
    const script = `
      const { readFileSync } = require('node:fs');
      const read = (path) => { try { readFileSync(path); return 'read'; } catch (error) { return error.code; } };
      console.log(JSON.stringify([${[
        join(ROOT, 'package.json'), join(ROOT, 'src/cli/kata.ts'), join(ROOT, 'katas/visit-counter/tests/hidden.ts'), join(copy, 'app.ts'),
        join(original, 'app.ts'), join(ROOT, 'README.md'), '/etc/passwd',
      ].map((path) => JSON.stringify(path)).join(', ')}].map(read)));`;
    const result = spawnSync(process.execPath, [...childFlags([copy], true), '-e', script], { env: childEnv(process.env), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    // README.md stands for a class folder the instructor keeps in the repository (./hand-ins): other learners' work.
    expect(JSON.parse(result.stdout)).toEqual(['read', 'read', 'read', 'read', 'ERR_ACCESS_DENIED', 'ERR_ACCESS_DENIED', 'ERR_ACCESS_DENIED']);
  });

  it('is taken at its word only when its message is a well-formed report', () => {
    const json = { version: 1, kata: 'visit-counter', status: 'pass', seed: 1, host: 'node', duration_ms: 3, message: null, tests: [{ name: 't', status: 'pass' }] };
    expect(checked({ kind: 'report', json, text: 'ok' }, 'visit-counter')).toEqual({ json, text: 'ok' });
    expect(checked({ kind: 'error', message: 'no kata' }, 'visit-counter')).toEqual({ error: 'no kata' });
    expect(checked({ kind: 'report', json, text: 'ok' }, 'sessions')).toBeUndefined();
    expect(checked({ kind: 'report', json: { ...json, status: 'passed' }, text: 'ok' }, 'visit-counter')).toBeUndefined();
    expect(checked({ kind: 'report', json: { ...json, tests: [{ name: 't', status: 'won' }] }, text: 'ok' }, 'visit-counter')).toBeUndefined();
    expect(checked({ kind: 'report', json }, 'visit-counter')).toBeUndefined();
    expect(checked('all passed', 'visit-counter')).toBeUndefined();
    expect(checked(null, 'visit-counter')).toBeUndefined();
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** what was left in the run's own temporary folder once it ended */
  leftovers: string[];
}

/**
 * `node src/cli/kata.ts ...args` with a temporary folder of its own. `slowly` reads stdout a chunk at a time with
 * pauses, as a busy pipe would; `interrupt` sends that signal once a learner's copy exists.
 */
function kata(args: string[], options: { slowly?: boolean; interrupt?: NodeJS.Signals } = {}): Promise<Run> {
  const tmp = folder('tmp');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['src/cli/kata.ts', ...args], { cwd: ROOT, env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let ended = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (!options.slowly) return;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), 5);
    });
    if (options.interrupt) {
      const signal = options.interrupt;
      const watch = setInterval(() => {
        const copied = readdirSync(tmp).some((run) => {
          try {
            return readdirSync(join(tmp, run)).some((name) => name.startsWith('learner-'));
          } catch {
            return false; // removed meanwhile
          }
        });
        if (copied || ended) clearInterval(watch);
        if (copied) child.kill(signal);
      }, 20);
    }
    child.on('error', reject);
    child.on('close', (code) => {
      ended = true;
      resolve({ code, stdout, stderr, leftovers: readdirSync(tmp) });
    });
  });
}

describe('grading a class from the command line', SPAWNS, () => {
  it.runIf(POSIX)('a learner whose folder holds a symlink to /etc/passwd is error naming it, and the others are graded as usual', async () => {
    const classDir = classFolder({
      alice: 'solution',
      bob: 'wrong/get-then-set',
      mallory: (dir) => {
        cpSync(join(KATA, 'solution'), dir, { recursive: true });
        symlinkSync('/etc/passwd', join(dir, 'passwd.txt'));
      },
      zoe: 'solution',
    });
    const { code, stdout, leftovers } = await kata(['grade', 'visit-counter', '--class', classDir, '--seed', '1', '--json']);
    expect(code, stdout).toBe(1);
    const rows = JSON.parse(stdout).results as { learner: string; status: string; passed: number; total: number; failure: { message: string } | null }[];
    expect(rows.map((row) => [row.learner, row.status])).toEqual([['alice', 'pass'], ['bob', 'fail'], ['mallory', 'error'], ['zoe', 'pass']]);
    expect(rows[2]!.failure?.message).toBe('passwd.txt: refused, a symbolic link (hand in regular files only)');
    expect(rows[3]!.passed).toBe(rows[3]!.total);
    expect(leftovers).toEqual([]);
  });

  it('a class with hostile learners (crash, forged messages, a forged report on fd 1, a flood, a hog) grades every honest learner as usual', async () => {
    const hostile = (code: string) => (dir: string) => writeFileSync(join(dir, 'app.ts'), code);
    const forgery = JSON.stringify({ version: 1, kata: 'visit-counter', status: 'pass', learners: [] });
    const classDir = classFolder({
      alice: 'solution',
      crash: hostile("process.exit(1);\nexport default { fetch: () => new Response('x') };"),
      forge: hostile(`export default { fetch() {
  try { postMessage({ t: 'response', id: 1, response: null }); } catch {}
  try { (globalThis as any).process.getBuiltinModule('fs').writeSync(1, ${JSON.stringify(forgery)}); } catch {}
  try { (globalThis as any).process.stdout.write(${JSON.stringify(forgery)}); } catch {}
  return new Response(JSON.stringify({ visits: 1 }), { headers: { 'content-type': 'application/json' } });
} };`),
      flood: hostile("export default { fetch() { for (let i = 0; i < 100000; i++) console.log('x'.repeat(5000)); return new Response('{}'); } };"),
      hog: hostile('export default { fetch() { for (;;) {} } };'),
      zoe: 'solution',
    });
    const { code, stdout, leftovers } = await kata(['grade', 'visit-counter', '--class', classDir, '--seed', '1', '--json']);
    expect(code, stdout).toBe(1);
    const report = JSON.parse(stdout) as { results: { learner: string; status: string; passed: number; total: number }[] };
    const row = (name: string) => report.results.find((learner) => learner.learner === name)!;
    expect(report.results.map((learner) => learner.learner)).toEqual(['alice', 'crash', 'flood', 'forge', 'hog', 'zoe']);
    for (const honest of ['alice', 'zoe']) expect(row(honest), honest).toMatchObject({ status: 'pass', passed: row(honest).total });
    for (const bad of ['crash', 'flood', 'forge', 'hog']) expect(row(bad).status, bad).not.toBe('pass');
    expect(leftovers).toEqual([]);
  });

  it('grade --json read slowly through a pipe is complete JSON, and --out holds the same report', async () => {
    const out = join(folder('out'), 'report.json');
    // One learner graded, and enough unreadable hand-ins (no child needed for those) to fill more than a pipe holds.
    const classDir = classFolder({ ann: 'starter' });
    const names = Array.from({ length: 300 }, (_, index) => `learner-with-a-long-name-${String(index).padStart(3, '0')}`);
    for (const name of names) writeFileSync(join(classDir, `${name}.json`), '{"format": "stateless-dojo-hand-in", "version": 1');
    const { code, stdout, leftovers } = await kata(['grade', 'visit-counter', '--class', classDir, '--seed', '2', '--json', '--out', out], { slowly: true });
    expect(code).toBe(1);
    expect(stdout.length).toBeGreaterThan(65_536); // more than a pipe holds: cut output would show
    expect(JSON.parse(stdout).results.map((row: { learner: string }) => row.learner)).toEqual(['ann', ...names]);
    expect(readFileSync(out, 'utf8')).toBe(stdout);
    expect(leftovers).toEqual([]);
  });

  it('test on a folder with a refused file reports error with the file\'s name and exits 1', async () => {
    const dir = folder('learner');
    cpSync(join(KATA, 'solution'), dir, { recursive: true });
    writeFileSync(join(dir, 'vendored.js'), 'x'.repeat(MAX_FILE_BYTES + 1));
    const { code, stdout, leftovers } = await kata(['test', 'visit-counter', '--dir', dir, '--seed', '1', '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: 'error', message: expect.stringMatching(/^vendored\.js: refused/), tests: [] });
    expect(leftovers).toEqual([]);
  });

  it.runIf(POSIX).each([['SIGINT', 130], ['SIGTERM', 143]] as const)('%s during a run removes the temporary folders and exits %i', async (signal, status) => {
    const classDir = classFolder({ ann: 'solution', ben: 'solution', cy: 'solution' });
    const { code, stdout, leftovers } = await kata(['grade', 'visit-counter', '--class', classDir, '--seed', '1'], { interrupt: signal });
    expect(code, stdout).toBe(status);
    expect(leftovers).toEqual([]);
  });
});

/** A kata folder's files, as a hand-in holds them. */
function kataFiles(from: string): Record<string, string> {
  return { 'app.ts': readFileSync(join(KATA, from, 'app.ts'), 'utf8') };
}

/** A hand-in file's text, its fields as given (a hostile one is not made with makeHandIn, which would refuse it). */
function rawHandIn(learner: string, files: unknown): string {
  return JSON.stringify({ format: 'stateless-dojo-hand-in', version: 1, learner, handedInAt: '2026-11-22T06:00:00.000Z', solved: ['visit-counter'], files });
}

describe('grading a class of hand-in files', SPAWNS, () => {
  it('right, wrong, empty, corrupt, foreign and hostile hand-ins: the same JUnit with --jobs 1 and 2, each with its reason, nothing written outside', async () => {
    const classDir = folder('class');
    const put = (name: string, text: string) => writeFileSync(join(classDir, name), text);
    put('ada.json', handInText(makeHandIn({ solved: ['visit-counter'], files: { 'visit-counter': kataFiles('solution') } }, 'Ada Lovelace', '2026-11-22T06:00:00.000Z')));
    put('bob.json', JSON.stringify({ format: 'stateless-dojo-progress', version: 1, exportedAt: '2026-11-22T06:00:00.000Z', solved: [], files: { 'visit-counter': kataFiles('wrong/get-then-set') } }));
    put('cy.json', '');
    put('dee.json', handInText(makeHandIn({ solved: [], files: { 'visit-counter': kataFiles('solution') } }, 'Dee', 'now')).slice(0, 120));
    put('package.json', JSON.stringify({ name: 'not-a-hand-in', version: '1.0.0' }));
    put('m-big.json', rawHandIn('Big', { 'visit-counter': { ...kataFiles('solution'), 'data.json': 'x'.repeat(MAX_FILE_BYTES + 1) } }));
    put('m-many.json', rawHandIn('Many', { 'visit-counter': Object.fromEntries(Array.from({ length: 500 }, (_, index) => [`f${index}.ts`, ''])) }));
    put('m-path.json', rawHandIn('Path', { 'visit-counter': { ...kataFiles('solution'), '../../../../escape.ts': 'pwned' } }));
    put('m-types.json', rawHandIn('Types', { 'visit-counter': ['app.ts', 42] }));

    const out = join(folder('out'), 'grades.xml');
    const one = await kata(['grade', '--class', classDir, '--seed', '1', '--format', 'junit', '--jobs', '1']);
    const two = await kata(['grade', '--class', classDir, '--seed', '1', '--format', 'junit', '--jobs', '2', '--out', out]);
    expect(one.code, one.stdout + one.stderr).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(readFileSync(out, 'utf8')).toBe(one.stdout);
    for (const run of [one, two]) expect(run.leftovers).toEqual([]);
    expect(spawnSync('find', [scratch, '-name', 'escape.ts']).stdout.toString()).toBe('');

    const root = parseXml(one.stdout);
    expect(root.attributes.name).toBe('Stateless Dojo grades, seed 1');
    const suites = elements(root, 'testsuite');
    const problem = (suite: XmlElement) => elements(suite, 'error').map((error) => error.attributes.message);
    expect(suites.map((suite) => suite.attributes.name)).toEqual([
      'Ada Lovelace · visit-counter', 'bob · visit-counter', 'cy · hand-in', 'dee · hand-in',
      'm-big · hand-in', 'm-many · hand-in', 'm-path · hand-in', 'm-types · hand-in', 'package · hand-in',
    ]);
    const [ada, bob, cy, dee, big, many, path, types, foreign] = suites;
    expect(elements(ada!, 'testcase').length).toBeGreaterThan(0);
    expect(ada!.attributes).toMatchObject({ failures: '0', errors: '0' });
    expect(elements(bob!, 'failure').map((failure) => elements(bob!, 'testcase').find((one) => one.children.includes(failure))!.attributes.name))
      .toContain('visits that arrive at the same time are all counted');
    expect(problem(cy!)).toEqual(['cy.json: the file is empty']);
    expect(problem(dee!)[0]).toMatch(/^dee\.json: not JSON/);
    expect(problem(big!)).toEqual([`visit-counter/data.json: refused, ${MAX_FILE_BYTES + 1} bytes (files are limited to 1 MB)`].map((message) => `m-big.json: ${message}`));
    expect(problem(many!)).toEqual(["m-many.json: visit-counter: 500 files (a kata's hand-in is limited to 100)"]);
    expect(problem(path!)[0]).toMatch(/^m-path\.json: visit-counter: refused the file name "\.\.\/\.\.\/\.\.\/\.\.\/escape\.ts"/);
    expect(problem(types!)[0]).toMatch(/^m-types\.json: damaged: "files" › "visit-counter": Invalid input: expected record, received array/);
    expect(problem(foreign!)).toEqual(['package.json: not a Stateless Dojo hand-in or progress file (it has no "format" field)']);
  });

  it('--format json, csv and markdown from the command line parse, each reporting the seed, and --out holds the same', async () => {
    const classDir = folder('class');
    writeFileSync(join(classDir, 'cy.json'), '');
    writeFileSync(join(classDir, 'dee, "the second".json'), '{"format": "stateless-dojo-progress"');
    const runs = await Promise.all(['json', 'csv', 'markdown'].map(async (format) => {
      const out = join(folder('out'), `grades.${format}`);
      const run = await kata(['grade', 'visit-counter', '--class', classDir, '--seed', '77', '--format', format, '--out', out]);
      expect(run.code, run.stderr).toBe(1);
      expect(readFileSync(out, 'utf8')).toBe(run.stdout);
      return run.stdout;
    }));
    const [json, csv, markdown] = runs as [string, string, string];
    expect(JSON.parse(json)).toMatchObject({ seed: 77, katas: ['visit-counter'], results: [{ learner: 'cy', status: 'error' }, { learner: 'dee, "the second"', status: 'error' }] });
    const [header, ...rows] = parseCsv(csv);
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows.map((row) => [row[0], row[1], row[3], row[4]])).toEqual([['77', 'cy', 'visit-counter', 'error'], ['77', 'dee, "the second"', 'visit-counter', 'error']]);
    expect(markdown).toContain('Seed `77` for every learner');
    expect(markdown).toMatch(/^\| dee, "the second" \| ⚠️ 0\/\d+ \|$/m);
  });

  it('test --hand-in replays one learner\'s kata from their file with the whole story, and says when it is not in there', async () => {
    const dir = folder('hand-ins');
    const file = join(dir, 'bob.json');
    writeFileSync(file, JSON.stringify({ format: 'stateless-dojo-progress', version: 1, solved: [], files: { 'visit-counter': kataFiles('wrong/get-then-set') } }));
    const only = ['--only', 'visits that arrive at the same time are all counted'];
    const story = await kata(['test', 'visit-counter', '--hand-in', file, '--seed', '1', ...only]);
    expect(story.code, story.stdout + story.stderr).toBe(1);
    expect(story.stdout).toContain('✗ visits that arrive at the same time are all counted');
    expect(story.stdout).toContain('what happened:');
    expect(story.stdout).toContain(`replay: npm run kata -- test visit-counter --hand-in ${file} --seed 1`);
    const elsewhere = await kata(['test', 'sessions', '--hand-in', file, '--seed', '1', '--json']);
    expect(elsewhere.code).toBe(1);
    expect(JSON.parse(elsewhere.stdout)).toMatchObject({ status: 'error', message: `${file}: no files for sessions (it has files for visit-counter)` });
    expect([...story.leftovers, ...elsewhere.leftovers]).toEqual([]);
  });

  it.each([
    [['--format', 'xml'], '--format must be one of text, json, csv, junit, markdown'],
    [['--json', '--format', 'csv'], '--json is --format json: give one of them'],
    [['--jobs', '0'], '--jobs must be an integer from 1 to 256'],
    [['--jobs', 'all'], '--jobs must be an integer from 1 to 256'],
  ])('grade %j exits 2 saying what is allowed', async (options, message) => {
    const { code, stderr } = await kata(['grade', '--class', folder('class'), ...options]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('a folder of learner folders without a kata named exits 2 and says to name one', async () => {
    const classDir = classFolder({ ann: 'solution' });
    const { code, stderr } = await kata(['grade', '--class', classDir]);
    expect(code).toBe(2);
    expect(stderr).toContain('holds learner folders, each one kata\'s files: name the kata');
  });
});
