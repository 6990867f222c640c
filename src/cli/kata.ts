// `npm run kata -- list | verify [slug] | test <slug> --dir <path> | --hand-in <file> | grade [slug] --class <dir> | classroom <slug> --out <dir> | help`: katas from the command line.
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { NodeHost } from '../engine/hosts/node/host.ts';
import { listKatas, loadKata } from '../engine/kata/load-node.ts';
import { KataError } from '../engine/kata/kata.ts';
import { verifyKata } from '../engine/kata/verify.ts';
import type { JsonReport } from '../engine/kata/report.ts';
import { newSeed } from '../engine/core/rng.ts';
import { prepareWorkspace, type Outcome } from './sandbox.ts';
import { copyLearner, writeHandedIn } from './learner-copy.ts';
import { readHandIn } from './grade/collect.ts';
import { parseHandIn } from './grade/hand-in.ts';
import { cleanUp } from './cleanup.ts';
import { emit, UsageError } from './common.ts';
import { gradeCopy } from './grade/run.ts';
import { grade } from './grade/command.ts';
import { FORMATS, isFormat } from './grade/formats/index.ts';
import { classroom } from './classroom/command.ts';

const USAGE = `usage:
  npm run kata -- list                                   the katas, with their concept and lesson
  npm run kata -- verify [slug] [--seed N]               starter fails, solutions pass, wrong variants fail
  npm run kata -- test <slug> --dir <path> | --hand-in <file> [--seed N] [--only NAME] [--sample] [--json] [--out FILE]
                                                         grade a learner's files: a folder, or one kata of a hand-in
                                                         or exported progress file (exit 0 all passed, 1 some failed)
  npm run kata -- grade [slug] --class <dir> [--seed N] [--format text|json|csv|junit|markdown] [--jobs N] [--out FILE]
                                                         grade a class: every hand-in (.json: a hand-in or an exported
                                                         progress file) in <dir>, every kata in each (or only <slug>);
                                                         or, with <slug>, every sub-folder (one per learner)
  npm run kata -- classroom <slug> --out <dir> [--dojo-repo URL] [--dojo-ref REF] [--seed N] [--site-url URL]
                                                         write a GitHub Classroom assignment template repository into
                                                         <dir> (new or empty): the starter, the sample tests, a README
                                                         and an autograding workflow that fetches this project at
                                                         REF (default: this checkout's origin and commit) and gives
                                                         one point per hidden test, seed N (default 1) for everyone
  npm run kata -- help                                   this text`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      'hand-in': { type: 'string' },
      class: { type: 'string' },
      seed: { type: 'string' },
      only: { type: 'string', multiple: true },
      sample: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      format: { type: 'string' },
      jobs: { type: 'string' },
      out: { type: 'string' },
      'dojo-repo': { type: 'string' },
      'dojo-ref': { type: 'string' },
      'site-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, slug, ...rest] = positionals;
  if (values.help || command === 'help') return print(USAGE, 0);
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (values.out !== undefined && command !== 'test' && command !== 'grade' && command !== 'classroom') throw new UsageError('--out is for test, grade and classroom');
  const classroomOnly = (['dojo-repo', 'dojo-ref', 'site-url'] as const).filter((name) => values[name] !== undefined);
  if (classroomOnly.length > 0 && command !== 'classroom') throw new UsageError(`${classroomOnly.map((name) => `--${name}`).join(', ')}: for classroom only`);
  if ((values.format !== undefined || values.jobs !== undefined) && command !== 'grade') throw new UsageError('--format and --jobs are for grade');
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
      if (!values.dir && !values['hand-in']) throw new UsageError('--dir <path> is required: the folder with your app.ts (or --hand-in <file>: a hand-in or exported progress file)');
      if (values.dir && values['hand-in']) throw new UsageError('--dir or --hand-in: give one of them');
      const kata = await loadKata(slug);
      const suite = values.sample ? kata.sample : kata.hidden;
      const unknown = (values.only ?? []).filter((name) => !suite.some((test) => test.name === name));
      if (unknown.length > 0) {
        throw new UsageError(`no ${values.sample ? 'sample' : 'hidden'} test named ${unknown.map((name) => `"${name}"`).join(', ')}; the tests are:\n${suite.map((test) => `  ${test.name}`).join('\n')}`);
      }
      const runSeed = seed ?? newSeed();
      const job = { slug, seed: runSeed, only: values.only, sample: values.sample };
      let outcome: Outcome;
      if (values.dir) {
        const dir = resolve(values.dir);
        if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
        outcome = await gradeCopy(await prepareWorkspace(), 0, dir, (copy) => copyLearner(dir, copy), { ...job, replay: `npm run kata -- test ${slug} --dir ${values.dir}` });
      } else {
        const file = values['hand-in']!;
        const files = await handedInFiles(resolve(file), slug);
        outcome = typeof files === 'string'
          ? { error: files }
          : await gradeCopy(await prepareWorkspace(), 0, file, (copy) => writeHandedIn(files, copy), { ...job, replay: `npm run kata -- test ${slug} --hand-in ${file}` });
      }
      const json = 'error' in outcome ? errorReport(slug, runSeed, outcome.error) : outcome.json;
      const text = 'error' in outcome ? `${slug}: seed ${runSeed}, could not run: ${outcome.error}` : outcome.text;
      await emit(values.json ? JSON.stringify(json, null, 2) : text, values.out);
      return json.status === 'pass' ? 0 : 1;
    }
    case 'grade': {
      if (!values.class) throw new UsageError('grade needs --class <dir>: a folder of hand-in files, or of learner folders');
      if (values.json && values.format !== undefined && values.format !== 'json') throw new UsageError('--json is --format json: give one of them');
      const format = values.json ? 'json' : values.format ?? 'text';
      if (!isFormat(format)) throw new UsageError(`--format must be one of ${Object.keys(FORMATS).join(', ')}`);
      return grade({ slug, classDir: resolve(values.class), seed: seed ?? newSeed(), format, out: values.out, jobs: parseJobs(values.jobs) });
    }
    case 'classroom':
      return classroom({ slug, out: values.out, dojoRepo: values['dojo-repo'], dojoRef: values['dojo-ref'], seed, siteUrl: values['site-url'] });
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

/** One kata's files from a hand-in or exported progress file, or why there are none. */
async function handedInFiles(path: string, slug: string): Promise<Record<string, string> | string> {
  try {
    const submission = parseHandIn(await readHandIn(path));
    const files = submission.files[slug];
    if (files && Object.keys(files).length > 0) return files;
    const has = Object.keys(submission.files);
    return `${path}: no files for ${slug}${has.length > 0 ? ` (it has files for ${has.join(', ')})` : ''}`;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`${path} does not exist`);
    return `${path}: ${(error as Error).message}`;
  }
}

/** The JSON report of a learner whose code could not be graded at all. */
function errorReport(kata: string, seed: number, message: string): JsonReport {
  return { version: 1, kata, status: 'error', seed, host: 'node', duration_ms: 0, message, tests: [] };
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw new UsageError(`--seed must be an integer from 0 to ${2 ** 32 - 1}`);
  return seed;
}

/** How many learners are graded at once: by default one per core. */
function parseJobs(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  const jobs = Number(text);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 256) throw new UsageError('--jobs must be an integer from 1 to 256');
  return jobs;
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
