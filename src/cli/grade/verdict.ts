// One learner's result on one kata, as every output format sees it: verdicts and the first failure, never traces.
import type { JsonReport } from '../../engine/kata/report.ts';

/** `missing`: the learner handed in nothing for this kata (not their code failing, but not a pass either). */
export type Status = 'pass' | 'fail' | 'error' | 'missing';

export interface Verdict {
  /** the learner's name: from the hand-in, else the file's or folder's name */
  learner: string;
  /** the file or folder in the class folder it came from */
  source: string;
  /** null when the whole hand-in could not be read (no kata could be graded) */
  kata: string | null;
  status: Status;
  passed: number;
  total: number;
  /** every hidden test's verdict, with its message when it did not pass */
  tests: { name: string; status: 'pass' | 'fail' | 'error'; message: string | null }[];
  /** the first test that did not pass and why, or (test null) why nothing could be graded */
  failure: { test: string | null; message: string } | null;
}

/** The whole grading run: what every format prints. */
export interface Grades {
  seed: number;
  /** the katas graded, in course order */
  katas: string[];
  verdicts: Verdict[];
}

/** Messages are kept whole but bounded: a learner's code must not be able to blow up the report. */
export const MAX_MESSAGE_CHARS = 2000;

export function bounded(message: string): string {
  return message.length > MAX_MESSAGE_CHARS ? `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…` : message;
}

/** The verdict a sandboxed run's report stands for. */
export function fromReport(who: { learner: string; source: string }, kata: string, report: JsonReport, hiddenTests: number): Verdict {
  const tests = report.tests.map((test) => ({ name: test.name, status: test.status, message: test.status === 'pass' ? null : bounded(test.message ?? test.status) }));
  const first = tests.find((test) => test.status !== 'pass');
  const failure = first
    ? { test: first.name, message: first.message ?? first.status }
    : report.status === 'pass' ? null : { test: null, message: bounded(report.message ?? 'could not run') };
  return {
    ...who,
    kata,
    status: report.status,
    passed: tests.filter((test) => test.status === 'pass').length,
    total: tests.length || hiddenTests,
    tests,
    failure,
  };
}

/** A verdict without a run: the hand-in was refused, or held nothing for this kata. */
export function withoutRun(who: { learner: string; source: string }, kata: string | null, status: 'error' | 'missing', message: string, hiddenTests: number): Verdict {
  return { ...who, kata, status, passed: 0, total: hiddenTests, tests: [], failure: { test: null, message: bounded(message) } };
}

/** pass, fail, error and missing counted over a run. */
export function tally(verdicts: readonly Verdict[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, fail: 0, error: 0, missing: 0 };
  for (const verdict of verdicts) counts[verdict.status] += 1;
  return counts;
}

/** A message on one line, cut to `width` characters, without control characters (a terminal obeys escapes): for tables. */
export function oneLine(text: string, width: number): string {
  const flat = text.replace(/[\p{Cc}\s]+/gu, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

/**
 * How each learner is shown in tables: their name, or, when two files or folders carry the same name (two hand-ins
 * from two Adas, a hand-in from "ada" and an export ada.json), the name and where it came from. Keyed by source.
 */
export function learnerLabels(verdicts: readonly Verdict[]): Map<string, string> {
  const sources = new Map<string, Set<string>>();
  for (const verdict of verdicts) sources.set(verdict.learner, (sources.get(verdict.learner) ?? new Set()).add(verdict.source));
  return new Map(verdicts.map((verdict) => [
    verdict.source,
    sources.get(verdict.learner)!.size > 1 ? `${verdict.learner} (${verdict.source})` : verdict.learner,
  ]));
}
