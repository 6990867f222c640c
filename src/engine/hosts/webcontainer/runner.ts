// The WebContainer runner (bundled into public/webcontainer/runner.mjs): runs a kata's tests on the Node host, prints progress and a report.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { KataMeta } from '../../kata/schema.ts';
import { NodeHost } from '../node/host.ts';
import type { ProcessHost } from '../../process/protocol.ts';
import { runTests, type RunReport } from '../../testing/runner.ts';
import { testsOf } from '../../kata/assemble.ts';
import type { TestDefinition, TestResult } from '../../testing/types.ts';
import { ERROR_MARK, REPORT_MARK, RESULT_MARK, parseRunnerRequest } from './protocol.ts';
import { SQL_UNAVAILABLE, sqlWasRequested } from './no-pglite.ts';
import { platformOf } from '../../kata/platform.ts';

/**
 * One kata as the build script embeds it: what running its tests needs, validated at build time by the same
 * loader as the CLI (so the runner carries neither zod nor the kata's other files), or why it could not be loaded.
 */
export type BundledKata =
  | { meta: Pick<KataMeta, 'processes' | 'build' | 'vars' | 'schedules'>; sample: unknown; hidden: unknown }
  | { broken: string };

interface RunnableKata {
  slug: string;
  meta: Pick<KataMeta, 'processes' | 'build' | 'vars' | 'schedules'>;
  sample: TestDefinition[];
  hidden: TestDefinition[];
}

/** Exit codes: every test passed, some did not, the tests could not be run at all. */
export const EXIT = { pass: 0, fail: 1, broken: 2 } as const;

const MARK = { pass: '✓', fail: '✗', error: '!' } as const;

/** Runs the request found in `root`; `write` gets whole lines (with their line break). Returns the exit code. */
export async function runRequest(katas: Readonly<Record<string, BundledKata>>, root: string, write: (text: string) => void): Promise<number> {
  const host = new NodeHost();
  // Bundle nothing, boot the spare processes now: they start while the request and files are read.
  void host.warm();
  try {
    const request = parseRunnerRequest(await readJson(join(root, 'request.json')));
    const kata = loadKata(katas, request.slug);
    const files = await readTree(join(root, 'files'));
    if (Object.keys(files).length === 0) throw new Error(`${join(root, 'files')} has no files`);
    const tests = request.suite === 'sample' ? kata.sample : kata.hidden;
    const count = request.only ? tests.filter((test) => request.only!.includes(test.name)).length : tests.length;
    write(`${kata.slug}: ${count} ${request.suite} test${count === 1 ? '' : 's'}, seed ${request.seed}\n`);
    const report = await runTests({
      host: named(host, 'webcontainer'),
      files, ...platformOf(kata.meta),
      tests, seed: request.seed, only: request.only,
      onResult: (result) => write(progress(result) + `${RESULT_MARK}${JSON.stringify(result)}\n`),
    });
    if (sqlWasRequested()) {
      write(`${ERROR_MARK}this kata uses SQL, and ${SQL_UNAVAILABLE}\n`);
      return EXIT.broken;
    }
    write(summary(report) + `${REPORT_MARK}${JSON.stringify(report)}\n`);
    return report.status === 'pass' ? EXIT.pass : EXIT.fail;
  } catch (error) {
    write(`${ERROR_MARK}${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.broken;
  } finally {
    await host.dispose();
  }
}

/** The bundle's entry point: the kata root comes from argv[2], else $DOJO_KATA_DIR, else /kata. */
export function main(katas: Readonly<Record<string, BundledKata>>): void {
  const root = resolve(process.argv[2] ?? process.env['DOJO_KATA_DIR'] ?? '/kata');
  const write = (text: string) => void process.stdout.write(text);
  // Exit only once everything written has been handed over: a report cut short is worse than none.
  const exit = (code: number) => void process.stdout.write('', () => process.exit(code));
  process.on('unhandledRejection', (reason) => {
    write(`${ERROR_MARK}the runner failed: ${reason instanceof Error ? reason.message : String(reason)}\n`);
    exit(EXIT.broken);
  });
  runRequest(katas, root, write).then(exit, (error: unknown) => {
    write(`${ERROR_MARK}the runner failed: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(EXIT.broken);
  });
}

function loadKata(katas: Readonly<Record<string, BundledKata>>, slug: string): RunnableKata {
  const bundled = Object.hasOwn(katas, slug) ? katas[slug] : undefined;
  if (!bundled) throw new Error(`no kata named "${slug}" in this runner (katas: ${Object.keys(katas).sort().join(', ')}); rebuild it with scripts/build-webcontainer-runner.ts`);
  if ('broken' in bundled) throw new Error(`the kata "${slug}" was broken when this runner was built: ${bundled.broken}`);
  return { slug, meta: bundled.meta, sample: testsOf(bundled.sample, `katas/${slug}/tests/sample.ts`), hidden: testsOf(bundled.hidden, `katas/${slug}/tests/hidden.ts`) };
}

/** The Node host under another name, so reports say which host ran them. */
function named(host: NodeHost, name: string): ProcessHost {
  return { name, spawn: () => host.spawn(), dispose: () => host.dispose() };
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`cannot read ${file}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** Every file under `folder`, by '/'-separated path relative to it (written by hand: recursive readdir needs a newer Node). */
async function readTree(folder: string, prefix = ''): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  let entries;
  try {
    entries = await readdir(join(folder, prefix), { withFileTypes: true });
  } catch {
    throw new Error(`cannot read the learner's files in ${folder}`);
  }
  for (const entry of entries) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(files, await readTree(folder, path));
    else if (entry.isFile()) files[path] = await readFile(join(folder, path), 'utf8');
  }
  return files;
}

/** The terminal's line for one finished test, with the explanation indented under a failure. */
function progress(result: TestResult): string {
  const lines = [`${MARK[result.status]} ${result.name} (${Math.round(result.durationMs)} ms)`];
  if (result.status !== 'pass' && result.message) lines.push(...result.message.split('\n').map((line) => `    ${line}`));
  return lines.map((line) => `${line}\n`).join('');
}

function summary(report: RunReport): string {
  const count = (status: TestResult['status']) => report.results.filter((result) => result.status === status).length;
  return `${count('pass')} passed, ${count('fail')} failed, ${count('error')} could not run (${(report.durationMs / 1000).toFixed(2)} s)\n`;
}
