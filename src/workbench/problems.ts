// The Problems list of the results pane: the editor's markers as text (file:line:col message), each a way to its place.
// Plain text in the page, so a screen reader can read every problem, not only the one under the cursor.

export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

/** What the list needs of a Monaco marker (monaco.editor.IMarker). */
export interface MarkerLike {
  resource: { toString(): string };
  severity: number;
  message: string;
  startLineNumber: number;
  startColumn: number;
}

// monaco.MarkerSeverity's values, written out so this module stays out of Monaco's bundle. Hints (1) are left out:
// they are TypeScript's suggestions (an unused parameter, drawn faded), not problems.
const SEVERITY: Record<number, Problem['severity']> = { 8: 'error', 4: 'warning', 2: 'info' };

/** The markers of the learner's files (fileOf names the file of a model URI, or undefined for other models), in order. */
export function toProblems(markers: readonly MarkerLike[], fileOf: (uri: string) => string | undefined): Problem[] {
  const problems = new Map<string, Problem>();
  for (const marker of markers) {
    const file = fileOf(marker.resource.toString());
    const severity = SEVERITY[marker.severity];
    if (file === undefined || severity === undefined) continue;
    const problem = { file, line: marker.startLineNumber, column: marker.startColumn, message: marker.message, severity };
    problems.set(problemText(problem), problem); // the same problem from two checkers is listed once
  }
  return [...problems.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

/** `app.ts:4:33 Property 'x' does not exist…`; warnings and notes say so (errors are the usual case). */
export function problemText(problem: Problem): string {
  const kind = problem.severity === 'error' ? '' : `${problem.severity}: `;
  return `${problem.file}:${problem.line}:${problem.column} ${kind}${problem.message}`;
}

export function problemsSummary(problems: readonly Problem[]): string {
  if (problems.length === 0) return 'No problems found.';
  return `${problems.length} problem${problems.length === 1 ? '' : 's'} in your code:`;
}

/**
 * Shows the problems in the list, each a button that goes to it. The list is only rebuilt when it changes, so a
 * screen reader reading it is not thrown back to its start by every check. It is not a live region: problems come
 * and go with each keystroke, and announcing them all would drown the learner; the count is in the status line.
 */
export function renderProblems(list: HTMLElement, status: HTMLElement, problems: readonly Problem[], onSelect: (problem: Problem) => void): void {
  const text = problems.map(problemText);
  if (list.dataset.shown === JSON.stringify(text)) return;
  list.dataset.shown = JSON.stringify(text);
  status.textContent = problemsSummary(problems);
  list.replaceChildren(...problems.map((problem, index) => {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `problem problem-${problem.severity}`;
    button.textContent = text[index]!;
    button.addEventListener('click', () => onSelect(problem));
    item.append(button);
    return item;
  }));
}
