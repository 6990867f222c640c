// The line protocol between the WebContainer runner (prints) and the page's WebContainer engine (parses): shared, DOM- and Node-free.
import type { RunReport } from '../../testing/runner.ts';
import type { TestResult } from '../../testing/types.ts';

/** One line per finished test: `@@DOJO-RESULT@@<TestResult JSON>`. */
export const RESULT_MARK = '@@DOJO-RESULT@@';
/** The last line of a run that could be graded: `@@DOJO-REPORT@@<RunReport JSON>`. */
export const REPORT_MARK = '@@DOJO-REPORT@@';
/** Instead of a report when the runner could not run the tests at all: `@@DOJO-ERROR@@<message>`. */
export const ERROR_MARK = '@@DOJO-ERROR@@';

/** What the page writes to `<kata root>/request.json`; the learner's files go under `<kata root>/files/`. */
export interface RunnerRequest {
  slug: string;
  seed: number;
  suite: 'hidden' | 'sample';
  only?: string[];
}

export type RunnerLine =
  | { kind: 'text'; text: string }
  | { kind: 'result'; result: TestResult }
  | { kind: 'report'; report: RunReport }
  | { kind: 'error'; message: string };

/** Output that claims to be protocol but cannot be read. */
export class MalformedOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedOutputError';
  }
}

/** Checks a parsed request.json; the message names the bad field. */
export function parseRunnerRequest(value: unknown): RunnerRequest {
  const request = value as Partial<RunnerRequest> | null;
  if (typeof request !== 'object' || request === null) throw new Error('request.json: expected an object');
  if (typeof request.slug !== 'string' || request.slug === '') throw new Error('request.json: slug: expected a kata slug');
  if (!Number.isInteger(request.seed) || request.seed! < 0 || request.seed! > 2 ** 32 - 1) {
    throw new Error('request.json: seed: expected an integer from 0 to 2^32 - 1');
  }
  if (request.suite !== 'hidden' && request.suite !== 'sample') throw new Error('request.json: suite: expected "hidden" or "sample"');
  if (request.only !== undefined && (!Array.isArray(request.only) || request.only.some((name) => typeof name !== 'string'))) {
    throw new Error('request.json: only: expected a list of test names');
  }
  return { slug: request.slug, seed: request.seed!, suite: request.suite, ...(request.only ? { only: request.only } : {}) };
}

// Terminal control sequences (CSI and OSC) a pseudo-terminal may wrap around a line.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

/** Reads one line of runner output (without its line break). Throws MalformedOutputError for a protocol line that is not valid. */
export function parseRunnerLine(raw: string): RunnerLine {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const plain = text.replace(ANSI, '').trimStart();
  if (plain.startsWith(RESULT_MARK)) return { kind: 'result', result: checkResult(json(plain.slice(RESULT_MARK.length), 'a test result')) };
  if (plain.startsWith(REPORT_MARK)) return { kind: 'report', report: checkReport(json(plain.slice(REPORT_MARK.length), 'the report')) };
  if (plain.startsWith(ERROR_MARK)) return { kind: 'error', message: plain.slice(ERROR_MARK.length).trim() || 'no message' };
  return { kind: 'text', text };
}

function json(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedOutputError(`${what} from the runner is not valid JSON (${(error as Error).message})`);
  }
}

const STATUSES = ['pass', 'fail', 'error'];

function checkResult(value: unknown, what = 'a test result'): TestResult {
  const result = value as Partial<TestResult> | null;
  if (typeof result !== 'object' || result === null || typeof result.name !== 'string'
    || !STATUSES.includes(result.status as string) || typeof result.message !== 'string' || !Array.isArray(result.events)) {
    throw new MalformedOutputError(`${what} from the runner does not have a name, status, message and events`);
  }
  return result as TestResult;
}

function checkReport(value: unknown): RunReport {
  const report = value as Partial<RunReport> | null;
  if (typeof report !== 'object' || report === null || !STATUSES.includes(report.status as string)
    || typeof report.seed !== 'number' || !Array.isArray(report.results) || !Array.isArray(report.diagnostics)) {
    throw new MalformedOutputError('the report from the runner does not have a status, seed, results and diagnostics');
  }
  report.results.forEach((result, i) => checkResult(result, `result ${i + 1} of the report`));
  return report as RunReport;
}
