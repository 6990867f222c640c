// Renders a run's results as a list of tests, each a button that opens its details, and the sentence announced for it.
import type { RunReport } from '../engine/testing/runner.ts';
import type { TestResult } from '../engine/testing/types.ts';

const LABEL = { pass: 'passed', fail: 'failed', error: 'could not run' } as const;

export function summaryText(report: RunReport, total: number): string {
  const passed = report.results.filter((result) => result.status === 'pass').length;
  if (report.diagnostics.length > 0) {
    const first = report.diagnostics[0]!;
    return `Your code does not compile: ${first.file} line ${first.line}, column ${first.column}: ${first.message}.`;
  }
  if (report.status === 'pass') return `All ${passed} tests passed. Kata solved!`;
  return `${passed} of ${total} tests passed, ${report.results.length - passed} failed.`;
}

export function renderResults(list: HTMLOListElement, results: readonly TestResult[], onSelect: (name: string) => void): void {
  list.replaceChildren(...results.map((result) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.test = result.name;
    button.setAttribute('aria-pressed', 'false');
    const status = document.createElement('span');
    status.className = `status-${result.status}`;
    status.textContent = `${result.status === 'pass' ? '✓' : '✗'} ${LABEL[result.status]}: `;
    const name = document.createElement('span');
    name.textContent = result.name;
    // The message is shown once, in the selected test's detail below: the list stays short enough to see at once.
    button.append(status, name);
    button.addEventListener('click', () => onSelect(result.name));
    item.append(button);
    return item;
  }));
}
