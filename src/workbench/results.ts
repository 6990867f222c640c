// The results pane as views of the store: the summary (the live region), the list of tests, the selected test's
// detail with its timeline, the chaos verdict. Each view watches its slice of the state and redraws only that.
import type { TestResult } from '../engine/testing/types.ts';
import type { Store } from './store.ts';
import { shownResult, statusWord, type WorkbenchState } from './state.ts';
import { renderTimeline } from './timeline.ts';
import type { WorkbenchElements } from './elements.ts';

export { summaryText } from './state.ts';

export function renderResults(list: HTMLOListElement, results: readonly TestResult[], onSelect: (name: string) => void): void {
  list.replaceChildren(...results.map((result) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.test = result.name;
    button.setAttribute('aria-pressed', 'false');
    const status = document.createElement('span');
    status.className = `status-${result.status}`;
    status.textContent = `${result.status === 'pass' ? '✓' : '✗'} ${statusWord(result.status)}: `;
    const name = document.createElement('span');
    name.textContent = result.name;
    // The message is shown once, in the selected test's detail below: the list stays short enough to see at once.
    button.append(status, name);
    button.addEventListener('click', () => onSelect(result.name));
    item.append(button);
    return item;
  }));
}

/** Wires the results pane to the store; `onSelect` is the learner picking a test in the list. */
export function watchResults(state: Store<WorkbenchState>, ui: WorkbenchElements, onSelect: (name: string) => void): void {
  state.watch((s) => s.summary, (summary) => {
    ui.summary.textContent = summary.text;
    ui.summary.dataset.state = summary.tone === 'idle' ? '' : summary.tone;
  });
  state.watch((s) => s.running !== undefined, (running) => {
    ui.resultsPane.toggleAttribute('aria-busy', running);
  });
  state.watch((s) => s.report?.results, (results) => {
    if (results) renderResults(ui.testList, results, onSelect);
  });
  state.watch((s) => `${s.selected}\u0000${s.report?.results.length}`, (_key, s) => {
    for (const button of ui.testList.querySelectorAll<HTMLButtonElement>('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.test === s.selected));
    }
  });
  state.watch(shownResult, (result) => {
    ui.detail.hidden = !result;
    if (!result) return;
    ui.detailTitle.textContent = `${result.status === 'pass' ? '✓' : '✗'} ${result.name}`;
    ui.detailMessage.textContent = result.status === 'pass' ? 'Passed.' : result.message;
    renderTimeline(ui.timeline, result, { headingLevel: 4, messageShownAbove: true });
  });
  state.watch((s) => s.chaos?.text ?? '', (text) => {
    ui.chaosResult.textContent = text;
  });
}
