// `npm run kata -- list | verify [slug] | test <slug> --dir <path> [--seed N] [--json]`: katas from the command line.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { NodeHost } from '../engine/hosts/node/host.ts';
import { listKatas, loadKata, readFolder, subfolders } from '../engine/kata/load-node.ts';
import { KataError } from '../engine/kata/kata.ts';
import { verifyKata } from '../engine/kata/verify.ts';
import { formatReport, toJsonReport } from '../engine/kata/report.ts';
import { runTests } from '../engine/testing/runner.ts';
import { newSeed } from '../engine/core/rng.ts';
import { relaunchSandboxed, sandboxed } from './sandbox.ts';

const USAGE = `usage:
  npm run kata -- list                                   the katas, with their concept and lesson
  npm run kata -- verify [slug] [--seed N]               starter fails, solutions pass, wrong variants fail
  npm run kata -- test <slug> --dir <path> [--seed N] [--only NAME] [--sample] [--json]
                                                         grade a learner's files (exit 0 all passed, 1 some failed)
  npm run kata -- grade <slug> --class <dir> [--seed N] [--json]
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
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, slug, ...rest] = positionals;
  if (values.help) return print(USAGE, 0);
  // Learner code runs in this process's threads: run it under Node's permission model (no writes, no programs).
  if (!sandboxed() && (command === 'test' || command === 'grade')) {
    return relaunchSandboxed(argv, [values.dir, values.class].filter((path): path is string => Boolean(path)));
  }
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
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
      const files = await learnerFiles(dir);
      const runSeed = seed ?? newSeed();
      const host = new NodeHost();
      try {
        const report = await runTests({
          host, files, processes: kata.meta.processes, build: kata.meta.build, vars: kata.meta.vars,
          tests: suite, seed: runSeed, only: values.only,
        });
        if (values.json) console.log(JSON.stringify(toJsonReport(slug, report), null, 2));
        else console.log(formatReport(slug, report, (s) => `npm run kata -- test ${slug} --dir ${values.dir} --seed ${s}`));
        return report.status === 'pass' ? 0 : 1;
      } finally {
        await host.dispose();
      }
    }
    case 'grade': {
      if (!slug || !values.class) throw new UsageError('grade needs a kata and --class <dir> with one folder per learner');
      return grade(slug, resolve(values.class), seed ?? newSeed(), values.json);
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

async function grade(slug: string, classDir: string, seed: number, json: boolean): Promise<number> {
  const kata = await loadKata(slug);
  const learners = await subfolders(classDir).catch(() => {
    throw new UsageError(`cannot read ${classDir}`);
  }); // sub-folders, sorted: one per learner
  if (learners.length === 0) throw new UsageError(`${classDir} has no sub-folders (one per learner)`);
  const host = new NodeHost();
  const rows: { learner: string; status: string; passed: number; total: number; report: ReturnType<typeof toJsonReport> }[] = [];
  try {
    for (const learner of learners) {
      let files: Record<string, string>;
      try {
        files = await learnerFiles(resolve(classDir, learner));
      } catch (error) {
        // One empty or unreadable folder is that learner's result, not the end of the class's grading.
        const report = { status: 'error' as const, seed, host: host.name, durationMs: 0, diagnostics: [], results: [] };
        rows.push({ learner, status: 'error', passed: 0, total: kata.hidden.length, report: { ...toJsonReport(slug, report), message: (error as Error).message } });
        continue;
      }
      const report = await runTests({
        host, files, processes: kata.meta.processes, build: kata.meta.build, vars: kata.meta.vars, tests: kata.hidden, seed,
      });
      const passed = report.results.filter((result) => result.status === 'pass').length;
      rows.push({ learner, status: report.status, passed, total: report.results.length, report: toJsonReport(slug, report) });
    }
  } finally {
    await host.dispose();
  }
  if (json) console.log(JSON.stringify({ version: 1, kata: slug, seed, learners: rows }, null, 2));
  else {
    console.log(`${slug}: ${learners.length} learners, seed ${seed}`);
    for (const row of rows) console.log(`  ${row.status.padEnd(5)} ${String(row.passed).padStart(2)}/${row.total}  ${row.learner}`);
  }
  return rows.every((row) => row.status === 'pass') ? 0 : 1;
}

async function learnerFiles(dir: string): Promise<Record<string, string>> {
  if (!(await stat(dir).catch(() => null))?.isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const files = await readFolder(dir);
  if (Object.keys(files).length === 0) throw new UsageError(`${dir} has no .ts or .js files`);
  return files;
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
    } else if (error instanceof KataError) {
      console.error(`broken kata: ${error.message}`);
    } else {
      console.error(error);
    }
    process.exit(2);
  },
);
