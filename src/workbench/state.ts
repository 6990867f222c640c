// The kata workspace's state and the changes a run makes to it, as pure functions (the views derive from this).
import type { Files } from './persistence.ts';
import type { RunReport, RunStatus } from '../engine/testing/runner.ts';
import type { TestResult } from '../engine/testing/types.ts';
import type { Problem } from './problems.ts';
import type { EngineFacts } from './engine-words.ts';

export interface RunInProgress {
  /** what the page says while it runs, e.g. "Running the hidden tests…" */
  label: string;
  /** tests finished so far, of `total` */
  done: number;
  total: number;
  /** the engine is starting the database before the next test (seconds, not the learner's doing) */
  waitingFor?: 'database';
}

export interface WorkbenchState {
  files: Files;
  /** the open file */
  active: string;
  /** the last finished run (a replay updates its one test in it) */
  report: RunReport | undefined;
  /** the test whose details are shown */
  selected: string | undefined;
  /** the run under way, if any */
  running: RunInProgress | undefined;
  /** one sentence about the latest thing that happened to the results (a run, a replay, chaos, a reset) */
  summary: { text: string; tone: 'idle' | 'running' | 'pass' | 'fail' };
  /** the chaos runs' verdict on the selected test, and the worst failure they found */
  chaos: { text: string; worst?: TestResult } | undefined;
  solved: boolean;
  editor: 'textarea' | 'monaco';
  problems: Problem[] | undefined;
  engine: EngineFacts;
}

export function initialState(files: Files, active: string, solved: boolean): WorkbenchState {
  return {
    files, active, report: undefined, selected: undefined, running: undefined,
    summary: { text: 'Not run yet. Press “Run tests” to run the hidden tests against your code.', tone: 'idle' },
    chaos: undefined, solved, editor: 'textarea', problems: undefined,
    engine: { state: 'offline-only', preference: 'auto' },
  };
}

/** A run starts: the summary says so, nothing else changes until its results come. */
export function runStarted(label: string, total: number): Partial<WorkbenchState> {
  return { running: { label, done: 0, total }, summary: { text: label, tone: 'running' } };
}

/** The run's progress: a test finished, or the engine is waiting for the database. */
export function runProgressed(state: WorkbenchState, progress: { done?: number; status?: RunStatus }): Partial<WorkbenchState> {
  const running = state.running;
  if (!running) return {};
  const next: RunInProgress = {
    ...running,
    ...(progress.done !== undefined ? { done: progress.done } : {}),
    ...(progress.status ? { waitingFor: progress.status === 'starting-database' ? 'database' as const : undefined } : {}),
  };
  return { running: next, summary: { text: progressText(next), tone: 'running' } };
}

export function progressText(running: RunInProgress): string {
  if (running.waitingFor === 'database') return `${running.label} Starting the database (this takes a few seconds, once)…`;
  return running.done > 0 ? `${running.label} ${running.done} of ${running.total} done.` : running.label;
}

/** A full run ended: its report, the first failure selected, and whether the kata is now solved. */
export function runFinished(state: WorkbenchState, report: RunReport, total: number): Partial<WorkbenchState> {
  const solved = report.status === 'pass';
  return {
    running: undefined, report, chaos: undefined,
    selected: report.results.find((result) => result.status !== 'pass')?.name,
    solved: state.solved || solved,
    summary: { text: summaryText(report, total), tone: solved ? 'pass' : 'fail' },
  };
}

/** A run ended without a report: stopped by the learner, or the engine failed. */
export function runEnded(outcome: { stopped: true } | { error: string }): Partial<WorkbenchState> {
  return 'stopped' in outcome
    ? { running: undefined, summary: { text: 'The run was stopped.', tone: 'idle' } }
    : { running: undefined, summary: { text: `The tests could not run: ${outcome.error}`, tone: 'fail' } };
}

/** One test replayed with the run's seed: it replaces that test's old result. */
export function replayFinished(state: WorkbenchState, replayed: TestResult, seed: number): Partial<WorkbenchState> {
  if (!state.report) return { running: undefined };
  return {
    running: undefined, chaos: undefined, selected: replayed.name,
    report: { ...state.report, results: state.report.results.map((old) => (old.name === replayed.name ? replayed : old)) },
    summary: { text: `Replayed “${replayed.name}” with seed ${seed}: ${replayed.status === 'pass' ? 'passed' : 'failed again'}.`, tone: replayed.status === 'pass' ? 'pass' : 'fail' },
  };
}

/** The chaos runs' verdict: how many of the new seeds failed the test. */
export function chaosFinished(name: string, runs: number, ran: number, failures: readonly number[], worst: TestResult | undefined): Partial<WorkbenchState> {
  const text = ran < runs
    ? `The chaos runs stopped after ${ran} of ${runs}${failures.length ? `; “${name}” failed with seeds ${failures.join(', ')}` : ''}.`
    : failures.length === 0
      ? `“${name}” passed with ${runs} new seeds.`
      : `“${name}” failed with ${failures.length} of ${runs} new seeds (${failures.join(', ')}).`;
  return { running: undefined, chaos: { text, ...(worst ? { worst } : {}) }, summary: { text, tone: failures.length ? 'fail' : 'pass' } };
}

const LABEL = { pass: 'passed', fail: 'failed', error: 'could not run' } as const;
export const statusWord = (status: TestResult['status']): string => LABEL[status];

export function summaryText(report: RunReport, total: number): string {
  const passed = report.results.filter((result) => result.status === 'pass').length;
  if (report.diagnostics.length > 0) {
    const first = report.diagnostics[0]!;
    return `Your code does not compile: ${first.file} line ${first.line}, column ${first.column}: ${first.message}.`;
  }
  if (report.status === 'pass') return `All ${passed} tests passed. Kata solved!`;
  return `${passed} of ${total} tests passed, ${report.results.length - passed} failed.`;
}

/** The result shown in the detail: the selected test's, or the worst chaos failure of it. */
export function shownResult(state: WorkbenchState): TestResult | undefined {
  const result = state.report?.results.find((candidate) => candidate.name === state.selected);
  return state.chaos?.worst && state.chaos.worst.name === state.selected ? state.chaos.worst : result;
}
