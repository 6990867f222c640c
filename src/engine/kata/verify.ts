// Proves a kata's tests bite: the starter fails, every solution passes, each wrong variant fails the test it names.
import type { Kata, FileSet } from './kata.ts';
import type { ProcessHost } from '../process/protocol.ts';
import { runTests, type RunReport } from '../testing/runner.ts';
import { platformOf } from './platform.ts';

export interface Check {
  subject: string;
  expectation: string;
  ok: boolean;
  detail: string;
  report: RunReport;
}

/** The runs verify makes: one per file set, with what its result must be. */
export function verificationPlan(kata: Kata): { subject: string; files: FileSet; judge(report: RunReport): Omit<Check, 'subject' | 'report'> }[] {
  const mustPass = (report: RunReport) => {
    const failed = report.results.filter((result) => result.status !== 'pass');
    return {
      expectation: 'passes every hidden test',
      ok: failed.length === 0,
      detail: failed.map((result) => `"${result.name}": ${result.message}`).join('; '),
    };
  };
  return [
    {
      subject: 'starter',
      files: kata.starter,
      judge: (report) => {
        const failed = report.results.filter((result) => result.status !== 'pass');
        return { expectation: 'fails at least one hidden test', ok: failed.length > 0, detail: `${failed.length} of ${report.results.length} failed` };
      },
    },
    { subject: 'solution', files: kata.solution, judge: mustPass },
    ...Object.entries(kata.alternatives).map(([name, files]) => ({ subject: `alternatives/${name}`, files, judge: mustPass })),
    ...kata.meta.wrong.map((variant) => ({
      subject: `wrong/${variant.name}`,
      files: kata.wrong[variant.name]!,
      judge: (report: RunReport) => {
        const named = report.results.find((result) => result.name === variant.mustFail);
        // 'error' (does not compile, crashes at start-up) proves nothing about the test: it must fail on its own terms.
        return {
          expectation: `fails "${variant.mustFail}"`,
          ok: named?.status === 'fail',
          detail: named?.status === 'pass' ? 'it passed' : named ? `it could not run: ${named.message}` : 'test not run',
        };
      },
    })),
  ];
}

export async function verifyKata(kata: Kata, host: ProcessHost, seed: number): Promise<Check[]> {
  const checks: Check[] = [];
  for (const run of verificationPlan(kata)) {
    const report = await runTests({
      host, files: run.files, ...platformOf(kata.meta),
      tests: kata.hidden, seed,
    });
    checks.push({ subject: run.subject, report, ...run.judge(report) });
  }
  return checks;
}
