// The kata page marks a kata attempted once: when its code first differs from the starter, or its tests first run.
import { describe, expect, it } from 'vitest';
import { Store } from '../../../src/workbench/store.ts';
import { watchAttempt } from '../../../src/workbench/attempt-mark.ts';
import type { WorkbenchState } from '../../../src/workbench/state.ts';

type Slice = Pick<WorkbenchState, 'files' | 'running'>;
const starter = { 'app.ts': 'let visits = 0;\n' };

function watched(initial: Slice) {
  const state = new Store<Slice>(initial);
  let marks = 0;
  watchAttempt(state, starter, () => (marks += 1));
  return { state, marks: () => marks };
}

describe('the attempted mark', () => {
  it('is not set by opening a kata at its starter code', () => {
    const { state, marks } = watched({ files: { ...starter }, running: undefined });
    state.update({ files: { ...starter } });
    expect(marks()).toBe(0);
  });

  it('is set once when the code first differs from the starter, however often it changes after', () => {
    const { state, marks } = watched({ files: { ...starter }, running: undefined });
    state.update({ files: { 'app.ts': 'let visits = 1;\n' } });
    state.update({ files: { 'app.ts': 'let visits = 2;\n' } });
    state.update({ files: { ...starter } });
    expect(marks()).toBe(1);
  });

  it('is set at once when the page opens with saved code that differs from the starter', () => {
    const { marks } = watched({ files: { 'app.ts': 'mine' }, running: undefined });
    expect(marks()).toBe(1);
  });

  it('is set by running the tests, even on the unchanged starter', () => {
    const { state, marks } = watched({ files: { ...starter }, running: undefined });
    state.update({ running: { label: 'Running the hidden tests…', done: 0, total: 5 } });
    expect(marks()).toBe(1);
  });
});
