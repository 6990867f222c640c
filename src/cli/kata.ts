// `npm run kata -- list | verify [slug] | test <slug> --dir <path> | grade <slug> --class <dir>`: katas from the command line.
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { NodeHost } from '../engine/hosts/node/host.ts';
import { listKatas, loadKata } from '../engine/kata/load-node.ts';
import { KataError } from '../engine/kata/kata.ts';
import { verifyKata } from '../engine/kata/verify.ts';
import type { JsonReport } from '../engine/kata/report.ts';
import { newSeed } from '../engine/core/rng.ts';
import { gradeInSandbox, prepareWorkspace, type Job, type Outcome, type Workspace } from './sandbox.ts';
import { copyLearner, RefusedFile } from './learner-copy.ts';
import { cleanUp } from './cleanup.ts';

const USAGE = `usage:
  npm run kata -- list                                   the katas, with their concept and lesson
  npm run kata -- verify [slug] [--seed N]               starter fails, solutions pass, wrong variants fail
  npm run kata -- test <slug> --dir <path> [--seed N] [--only NAME] [--sample] [--json] [--out FILE]
                                                         grade a learner's files (exit 0 all passed, 1 some failed)
  npm run kata -- grade <slug> --class <dir> [--seed N] [--json] [--out FILE]
                                                         grade every sub-folder of <dir> (one per learner)`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      class: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string', multiple: true },
      sample: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, slug, ...rest] = positionals;
  if (values.help) return print(USAGE, 0);
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (values.out !== undefined && command !== 'test' && command !== 'grade') throw new UsageError('--out is for test and grade');
  const seed = parseSeed(values.seed);

  switch (command) {
    case 'list': {
      let broken = 0;
      for (const name of await listKatas()) {
        try {
          const kata = await loadKata(name);
          console.log(`${name.padEnd(18)} concept ${String(kata.meta.concept).padStart(2)}  ${kata.meta.difficulty.padEnd(6)}  ${kata.meta.title} (lesson: ${kata.meta.lesson})`);
        } catch (error) {
          if (!(error instanceof KataError)) throw error;
          broken += 1;
          console.log(`${name.padEnd(18)} broken: ${error.message}`);
        }
      }
      return broken > 0 ? 2 : 0;
    }
    case 'verify':
      return verify(slug, seed ?? 1);
    case 'test': {
      if (!slug) throw new UsageError('which kata? e.g. npm run kata -- test visit-counter --dir ./my-solution');
      if (!values.dir) throw new UsageError('--dir <path> is required: the folder with your app.ts');
      const kata = await loadKata(slug);
      const suite = values.sample ? kata.sample : kata.hidden;
      const unknown = (values.only ?? []).filter((name) => !suite.some((test) => test.name === name));
      if (unknown.length > 0) {
        throw new UsageError(`no ${values.sample ? 'sample' : 'hidden'} test named ${unknown.map((name) => `"${name}"`).join(', ')}; the tests are:\n${suite.map((test) => `  ${test.name}`).join('\n')}`);
      }
      const dir = resolve(values.dir);
      if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
      const runSeed = seed ?? newSeed();
      const outcome = await gradeLearner(await prepareWorkspace(), 0, dir, {
        slug, seed: runSeed, only: values.only, sample: values.sample, replay: `npm run kata -- test ${slug} --dir ${values.dir}`,
      });
      const json = 'error' in outcome ? errorReport(slug, runSeed, outcome.error) : outcome.json;
      const text = 'error' in outcome ? `${slug}: seed ${runSeed}, could not run: ${outcome.error}` : outcome.text;
      await emit(values.json ? JSON.stringify(json, null, 2) : text, values.out);
      return json.status === 'pass' ? 0 : 1;
    }
    case 'grade': {
      if (!slug || !values.class) throw new UsageError('grade needs a kata and --class <dir> with one folder per learner');
      return grade(slug, resolve(values.class), seed ?? newSeed(), values.json, values.out);
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

async function verify(slug: string | undefined, seed: number): Promise<number> {
  const slugs = slug ? [slug] : await listKatas();
  const host = new NodeHost();
  let failures = 0;
  try {
    for (const name of slugs) {
      const started = performance.now();
      const kata = await loadKata(name);
      const checks = await verifyKata(kata, host, seed);
      const bad = checks.filter((check) => !check.ok);
      failures += bad.length;
      console.log(`${bad.length === 0 ? '✓' : '✗'} ${name} (${checks.length} checks, ${Math.round(performance.now() - started)} ms)`);
      for (const check of checks) {
        console.log(`    ${check.ok ? '✓' : '✗'} ${check.subject} ${check.expectation}${check.ok ? '' : `: ${check.detail}`}`);
      }
    }
  } finally {
    await host.dispose();
  }
  if (failures > 0) console.error(`\n${failures} check(s) did not go as the kata says they must`);
  return failures > 0 ? 1 : 0;
}

async function grade(slug: string, classDir: string, seed: number, json: boolean, out: string | undefined): Promise<number> {
  const kata = await loadKata(slug);
  const learners = await learnerFolders(classDir).catch(() => {
    throw new UsageError(`cannot read ${classDir}`);
  });
  if (learners.length === 0) throw new UsageError(`${classDir} has no sub-folders (one per learner)`);
  const workspace = await prepareWorkspace();
  const rows: { learner: string; status: string; passed: number; total: number; report: JsonReport }[] = [];
  for (const [index, { name, link }] of learners.entries()) {
    // Each learner in a child of its own: a crash, a hang or a flood from one is that learner's `error`, and no other's.
    const outcome: Outcome = link
      ? { error: `${name}: refused, a symbolic link (hand in a folder)` }
      : await gradeLearner(workspace, index, join(classDir, name), { slug, seed, sample: false, replay: null });
    const report = 'error' in outcome ? errorReport(slug, seed, outcome.error) : outcome.json;
    const passed = report.tests.filter((test) => test.status === 'pass').length;
    rows.push({ learner: name, status: report.status, passed, total: report.tests.length || kata.hidden.length, report });
  }
  if (json) await emit(JSON.stringify({ version: 1, kata: slug, seed, learners: rows }, null, 2), out);
  else {
    const lines = [`${slug}: ${learners.length} learners, seed ${seed}`];
    for (const row of rows) {
      lines.push(`  ${row.status.padEnd(5)} ${String(row.passed).padStart(2)}/${row.total}  ${row.learner}`);
      if (row.status === 'error' && row.report.message) lines.push(`        ${row.report.message}`);
    }
    await emit(lines.join('\n'), out);
  }
  return rows.every((row) => row.status === 'pass') ? 0 : 1;
}

/** A class folder's learners, sorted; a link among them is listed (and refused), not silently skipped. */
async function learnerFolders(classDir: string): Promise<{ name: string; link: boolean }[]> {
  const entries = await readdir(classDir, { withFileTypes: true });
  return entries
    .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isSymbolicLink()))
    .map((entry) => ({ name: entry.name, link: entry.isSymbolicLink() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Copy one learner's folder into the workspace and grade the copy in a sandboxed child; never throws. This process
 * reads the hand-in (refusing links, devices, FIFOs, oversized files); learner code is only ever given the copy.
 */
async function gradeLearner(workspace: Workspace, index: number, source: string, job: Omit<Job, 'dir'>): Promise<Outcome> {
  const dir = join(workspace.root, `learner-${index}`);
  try {
    if ((await copyLearner(source, dir)) === 0) return { error: `${source} has no .ts or .js files` };
    return await gradeInSandbox({ ...job, dir }, workspace);
  } catch (error) {
    return { error: error instanceof RefusedFile ? error.message : `cannot grade ${source}: ${(error as Error).message}` };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined); // a class's copies need not pile up
  }
}

/** The JSON report of a learner whose code could not be graded at all. */
function errorReport(kata: string, seed: number, message: string): JsonReport {
  return { version: 1, kata, status: 'error', seed, host: 'node', duration_ms: 0, message, tests: [] };
}

/** The final report, written by this process only: to --out when given, and to stdout, drained before the end. */
async function emit(text: string, out: string | undefined): Promise<void> {
  if (out) await writeFile(out, `${text}\n`);
  await new Promise<void>((done, fail) => process.stdout.write(`${text}\n`, (error) => (error ? fail(error) : done())));
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`--seed must be an integer from 0 to ${2 ** 32 - 1}`);
  return seed;
}

function print(text: string, code: number): number {
  console.log(text);
  return code;
}

// process.exitCode rather than process.exit(): exiting at once would cut output still on its way into a pipe.
main(process.argv.slice(2)).then(
  (code) => {
    cleanUp();
    process.exitCode = code;
  },
  (error: unknown) => {
    cleanUp();
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
    } else if (error instanceof KataError) {
      console.error(`broken kata: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exitCode = 2;
  },
);
