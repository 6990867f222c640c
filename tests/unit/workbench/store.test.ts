// The workspace's store and the changes a run makes to its state: what the views derive from.
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/workbench/store.ts';
import {
  chaosFinished, initialState, progressText, replayFinished, runEnded, runFinished, runProgressed, runStarted, shownResult,
  type WorkbenchState,
} from '../../../src/workbench/state.ts';
import type { RunReport } from '../../../src/engine/testing/runner.ts';
import type { TestResult } from '../../../src/engine/testing/types.ts';

const result = (name: string, status: TestResult['status'], message = ''): TestResult => ({ name, status, message, seed: 1, durationMs: 1, events: [] });
const report = (results: TestResult[], status: RunReport['status'] = results.every((r) => r.status === 'pass') ? 'pass' : 'fail'): RunReport =>
  ({ status, seed: 42, host: 'browser', durationMs: 10, diagnostics: [], results });

describe('Store', () => {
  it('merges an update and tells its listeners the new and the previous state', () => {
    const store = new Store({ a: 1, b: 'x' });
    const heard: [number, number][] = [];
    store.subscribe((now, before) => heard.push([now.a, before.a]));
    store.update({ a: 2 });
    expect(store.state).toEqual({ a: 2, b: 'x' });
    expect(heard).toEqual([[2, 1]]);
  });

  it('stays silent when an update changes nothing', () => {
    const store = new Store({ a: 1 });
    let calls = 0;
    store.subscribe(() => calls++);
    store.update({ a: 1 });
    store.update(() => ({}));
    expect(calls).toBe(0);
  });

  it('watch calls at once, then only when its slice changes', () => {
    const store = new Store({ a: 1, b: 1 });
    const seen: number[] = [];
    store.watch((s) => s.a, (a) => seen.push(a));
    store.update({ b: 2 });
    store.update({ a: 3 });
    expect(seen).toEqual([1, 3]);
  });

  it('an unsubscribed listener hears nothing more', () => {
    const store = new Store({ a: 1 });
    const seen: number[] = [];
    const stop = store.watch((s) => s.a, (a) => seen.push(a));
    stop();
    store.update({ a: 2 });
    expect(seen).toEqual([1]);
  });

  it('the state cannot be changed behind its back', () => {
    const store = new Store({ a: 1 });
    expect(() => ((store.state as { a: number }).a = 5)).toThrow();
    expect(store.state.a).toBe(1);
  });
});

describe('a run, as state', () => {
  const start = (): WorkbenchState => ({ ...initialState({ 'app.ts': '' }, 'app.ts', false), ...runStarted('Running the hidden tests…', 3) });

  it('a started run says so in the summary', () => {
    const state = start();
    expect(state.running).toEqual({ label: 'Running the hidden tests…', done: 0, total: 3 });
    expect(state.summary).toEqual({ text: 'Running the hidden tests…', tone: 'running' });
  });

  it('progress counts finished tests, and says when the database is starting', () => {
    let state = start();
    state = { ...state, ...runProgressed(state, { done: 1 }) };
    expect(state.summary.text).toBe('Running the hidden tests… 1 of 3 done.');
    state = { ...state, ...runProgressed(state, { status: 'starting-database' }) };
    expect(state.summary.text).toMatch(/Starting the database/);
    state = { ...state, ...runProgressed(state, { status: 'running' }) };
    expect(state.summary.text).toBe('Running the hidden tests… 1 of 3 done.');
  });

  it('progress after the run ended changes nothing', () => {
    const state = initialState({}, 'app.ts', false);
    expect(runProgressed(state, { done: 2 })).toEqual({});
  });

  it('a finished run selects the first failure and is not solved', () => {
    const finished = { ...start(), ...runFinished(start(), report([result('a', 'pass'), result('b', 'fail', 'b broke'), result('c', 'fail')]), 3) };
    expect(finished.running).toBeUndefined();
    expect(finished.selected).toBe('b');
    expect(finished.solved).toBe(false);
    expect(finished.summary).toEqual({ text: '1 of 3 tests passed, 2 failed.', tone: 'fail' });
    expect(shownResult(finished)?.message).toBe('b broke');
  });

  it('a passing run solves the kata, and a later failing run does not unsolve it', () => {
    const solved = { ...start(), ...runFinished(start(), report([result('a', 'pass')]), 1) };
    expect(solved.solved).toBe(true);
    expect(solved.selected).toBeUndefined();
    const again = { ...solved, ...runFinished(solved, report([result('a', 'fail')]), 1) };
    expect(again.solved).toBe(true);
  });

  it('a stopped run says so and leaves the last report alone', () => {
    const before = { ...start(), ...runFinished(start(), report([result('a', 'fail')]), 1) };
    const stopped = { ...before, ...runStarted('x', 1), ...runEnded({ stopped: true }) };
    expect(stopped.report).toBe(before.report);
    expect(stopped.summary).toEqual({ text: 'The run was stopped.', tone: 'idle' });
  });

  it('a replay replaces only its test', () => {
    const before = { ...start(), ...runFinished(start(), report([result('a', 'fail'), result('b', 'fail')]), 2) };
    const after = { ...before, ...replayFinished(before, result('b', 'pass'), 42) };
    expect(after.report?.results.map((r) => r.status)).toEqual(['fail', 'pass']);
    expect(after.selected).toBe('b');
    expect(after.summary.text).toBe('Replayed “b” with seed 42: passed.');
  });

  it('chaos shows its worst failure in the detail, and names the failing seeds', () => {
    const before = { ...start(), ...runFinished(start(), report([result('a', 'fail', 'first')]), 1) };
    const after = { ...before, ...chaosFinished('a', 5, 5, [7, 9], result('a', 'fail', 'worst')) };
    expect(after.summary.text).toBe('“a” failed with 2 of 5 new seeds (7, 9).');
    expect(shownResult(after)?.message).toBe('worst');
    expect(chaosFinished('a', 5, 2, [], undefined).summary?.text).toBe('The chaos runs stopped after 2 of 5.');
  });

  it('the progress text is the label alone before the first test ends', () => {
    expect(progressText({ label: 'Running…', done: 0, total: 3 })).toBe('Running…');
  });
});
