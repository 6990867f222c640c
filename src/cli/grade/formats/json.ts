// The grades as JSON for scripts: verdicts and the first failure per learner and kata, no traces (those are for `test`).
import { GRADES_FORMAT } from '../hand-in.ts';
import { tally, type Grades } from '../verdict.ts';

/** Version 2: version 1 (one kata, each learner's full report with traces) was 30 KB a learner. */
export const GRADES_VERSION = 2;

export function formatJson(grades: Grades): string {
  return JSON.stringify({
    format: GRADES_FORMAT,
    version: GRADES_VERSION,
    seed: grades.seed,
    katas: grades.katas,
    counts: tally(grades.verdicts),
    results: grades.verdicts.map((verdict) => ({
      learner: verdict.learner,
      source: verdict.source,
      kata: verdict.kata,
      status: verdict.status,
      passed: verdict.passed,
      total: verdict.total,
      failure: verdict.failure,
      tests: verdict.tests.map((test) => ({ name: test.name, status: test.status })),
    })),
  }, null, 2);
}
