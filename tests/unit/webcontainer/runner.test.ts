// Builds the WebContainer runner into a temp folder and runs it with this machine's Node against fake kata folders.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebContainerRunner, type BuiltRunner } from '../../../scripts/build-webcontainer-runner.ts';
import { processEntryCode } from '../../../src/engine/hosts/node/bundle.ts';
import { ERROR_MARK, REPORT_MARK, RESULT_MARK } from '../../../src/engine/hosts/webcontainer/protocol.ts';
import { loadKata } from '../../../src/engine/kata/load-node.ts';
import type { RunReport } from '../../../src/engine/testing/runner.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const KATA = join(REPO, 'katas/visit-counter');

let work: string;
let runner: BuiltRunner;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'dojo-runner-'));
  runner = await buildWebContainerRunner({ outFile: join(work, 'runner.mjs') });
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  lines: string[];
  report: RunReport | undefined;
  error: string | undefined;
}

/** Writes `<kata root>/request.json` and `files/`, runs the runner with Node (from the temp folder: no node_modules there). */
async function runRunner(
  script: string,
  request: unknown,
  files: Record<string, string>,
  how: 'argument' | 'env' = 'argument',
): Promise<Outcome> {
  const root = await mkdtemp(join(work, 'kata-'));
  await writeFile(join(root, 'request.json'), JSON.stringify(request));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, 'files', path)), { recursive: true });
    await writeFile(join(root, 'files', path), text);
  }
  const child = spawn(process.execPath, how === 'argument' ? [script, root] : [script], {
    cwd: dirname(script),
    env: { ...process.env, ...(how === 'env' ? { DOJO_KATA_DIR: root } : {}) },
  });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => void (stdout += chunk));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => void (stderr += chunk));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  const lines = stdout.split('\n').filter((line) => line !== '');
  const reportLine = lines.find((line) => line.startsWith(REPORT_MARK));
  const errorLine = lines.find((line) => line.startsWith(ERROR_MARK));
  if (stderr) lines.push(`stderr: ${stderr}`);
  return {
    code,
    lines,
    report: reportLine ? (JSON.parse(reportLine.slice(REPORT_MARK.length)) as RunReport) : undefined,
    error: errorLine?.slice(ERROR_MARK.length),
  };
}

const folder = async (path: string) => ({ 'app.ts': await readFile(join(path, 'app.ts'), 'utf8') });

describe('the WebContainer runner', () => {
  it('is built into one file with every kata, and its size is reported', async () => {
    expect(runner.katas).toContain('visit-counter');
    expect(runner.broken).toEqual({});
    expect(runner.bytes).toBe((await readFile(runner.outFile)).length);
    expect(runner.bytes).toBeGreaterThan(50_000);
  });

  it('passes the visit counter solution on every hidden test, printing progress, results and the report', async () => {
    const hidden = (await loadKata('visit-counter')).hidden.map((test) => test.name);
    const outcome = await runRunner(runner.outFile, { slug: 'visit-counter', seed: 7, suite: 'hidden' }, await folder(join(KATA, 'solution')));
    expect(outcome.lines.join('\n')).not.toContain('stderr:');
    expect(outcome.code).toBe(0);
    expect(outcome.report?.status).toBe('pass');
    expect(outcome.report?.seed).toBe(7);
    expect(outcome.report?.host).toBe('webcontainer');
    expect(outcome.report?.results.map((result) => [result.name, result.status])).toEqual(hidden.map((name) => [name, 'pass']));
    expect(outcome.lines[0]).toBe(`visit-counter: ${hidden.length} hidden tests, seed 7`);
    for (const name of hidden) expect(outcome.lines).toContainEqual(expect.stringMatching(new RegExp(`^✓ ${name} \\(\\d+ ms\\)$`)));
    expect(outcome.lines.filter((line) => line.startsWith(RESULT_MARK))).toHaveLength(hidden.length);
    expect(outcome.lines.at(-1)!.startsWith(REPORT_MARK)).toBe(true);
  });

  it('fails the visit counter starter, explaining each failure under its test', async () => {
    const outcome = await runRunner(runner.outFile, { slug: 'visit-counter', seed: 7, suite: 'hidden' }, await folder(join(KATA, 'starter')));
    expect(outcome.code).toBe(1);
    expect(outcome.report?.status).toBe('fail');
    const failed = outcome.report!.results.filter((result) => result.status === 'fail');
    expect(failed.length).toBeGreaterThan(0);
    const at = outcome.lines.indexOf(outcome.lines.find((line) => line.startsWith(`✗ ${failed[0]!.name}`))!);
    expect(outcome.lines[at + 1]).toBe(`    ${failed[0]!.message.split('\n')[0]}`);
  });

  it('runs the sample suite, or only the named tests, and takes the kata folder from DOJO_KATA_DIR too', async () => {
    const sample = (await loadKata('visit-counter')).sample.map((test) => test.name);
    const all = await runRunner(runner.outFile, { slug: 'visit-counter', seed: 3, suite: 'sample' }, await folder(join(KATA, 'solution')), 'env');
    expect(all.report?.results.map((result) => result.name)).toEqual(sample);
    const one = await runRunner(runner.outFile, { slug: 'visit-counter', seed: 3, suite: 'sample', only: [sample[0]] }, await folder(join(KATA, 'solution')));
    expect(one.report?.results.map((result) => result.name)).toEqual([sample[0]]);
  });

  it('reports a syntax error with its line and column, as the other hosts do', async () => {
    const outcome = await runRunner(runner.outFile, { slug: 'visit-counter', seed: 1, suite: 'hidden' }, { 'app.ts': 'export default {\n  fetch( {\n};\n' });
    expect(outcome.code).toBe(1);
    expect(outcome.report?.status).toBe('error');
    expect(outcome.report?.diagnostics[0]).toMatchObject({ file: 'app.ts', line: expect.any(Number), column: expect.any(Number) });
  });

  it('refuses an unknown kata and a bad request with an error line and exit code 2, not a report', async () => {
    const unknown = await runRunner(runner.outFile, { slug: 'no-such-kata', seed: 1, suite: 'hidden' }, { 'app.ts': '' });
    expect(unknown.code).toBe(2);
    expect(unknown.report).toBeUndefined();
    expect(unknown.error).toContain('no kata named "no-such-kata" in this runner');
    const bad = await runRunner(runner.outFile, { slug: 'visit-counter', seed: -1, suite: 'hidden' }, { 'app.ts': '' });
    expect(bad.code).toBe(2);
    expect(bad.error).toBe('request.json: seed: expected an integer from 0 to 2^32 - 1');
  });

  it('when nothing is embedded, processEntryCode() still bundles the process entry with esbuild (the plain Node path)', async () => {
    const code = await processEntryCode();
    expect(code).toContain('parentPort');
  });
});

describe('the runner built from other katas', () => {
  let katas: string;
  let built: BuiltRunner;

  /** A small but valid kata whose app uses env.db, and a kata whose kata.json is broken. */
  beforeAll(async () => {
    katas = await mkdtemp(join(work, 'katas-'));
    const app = `export default { async fetch(request, env) { const { rows } = await env.db.query('select 1 as one'); return Response.json(rows[0]); } };`;
    const tests = `import { test } from 'dojo/testing';
export default [
  test('the database answers', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 1 });
    const res = await client().get('/');
    expect(res.status, 'status').toBe(200);
  }),
];`;
    const files: Record<string, string> = {
      'sql-counter/kata.json': JSON.stringify({
        title: 'SQL counter', concept: 4, lesson: 'backing-services', summary: 'A kata whose app asks the SQL database.',
        difficulty: 'easy', minutes: 5, processes: { web: 'app.ts' }, hints: ['use env.db'],
        wrong: [{ name: 'memory', mustFail: 'the database answers', why: 'it never asks the database' }],
      }),
      'sql-counter/brief.md': '# SQL counter',
      'sql-counter/starter/app.ts': app,
      'sql-counter/solution/app.ts': app,
      'sql-counter/wrong/memory/app.ts': 'export default { fetch() { return new Response("no", { status: 500 }); } };',
      'sql-counter/tests/sample.ts': tests,
      'sql-counter/tests/hidden.ts': tests,
      'broken/kata.json': '{ "title": 3 }',
      'broken/brief.md': '# broken',
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(katas, path)), { recursive: true });
      await writeFile(join(katas, path), text);
    }
    built = await buildWebContainerRunner({ outFile: join(work, 'other', 'runner.mjs'), katasDir: katas });
  });

  it('names a broken kata at build time, and the runner refuses it with the same message', async () => {
    expect(built.katas).toEqual(['broken', 'sql-counter']);
    expect(built.broken['broken']).toMatch(/^katas\/broken\//);
    expect(Object.keys(built.broken)).toEqual(['broken']);
    const outcome = await runRunner(built.outFile, { slug: 'broken', seed: 1, suite: 'hidden' }, { 'app.ts': '' });
    expect(outcome.code).toBe(2);
    expect(outcome.error).toBe(`the kata "broken" was broken when this runner was built: ${built.broken['broken']}`);
  });

  it('refuses, rather than misgrades, a kata that needs SQL (PGlite is left out of the runner)', async () => {
    const outcome = await runRunner(built.outFile, { slug: 'sql-counter', seed: 1, suite: 'hidden' }, { 'app.ts': await readFile(join(katas, 'sql-counter/solution/app.ts'), 'utf8') });
    expect(outcome.code).toBe(2);
    expect(outcome.report).toBeUndefined();
    expect(outcome.error).toBe('this kata uses SQL, and the SQL database (PGlite) is not included in the WebContainer runner');
  });
});
