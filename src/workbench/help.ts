// The kata page's help: hints one at a time, the reference solution as a diff (asked first, unless the kata is solved:
// then it is offered for comparison), and reset.
import { showDiff } from './editor.ts';
import type { WorkbenchContext } from './context.ts';
import { confirm } from './dialog.ts';

export function wireHelp({ ui, data, state, editor, active, changed }: WorkbenchContext): void {
  let hintsShown = 0;
  ui.hint.addEventListener('click', () => {
    if (hintsShown >= data.hints.length) return;
    const item = document.createElement('li');
    item.textContent = data.hints[hintsShown]!;
    ui.hintList.append(item);
    ui.panes.show('brief'); // hints are under the brief: unfold it (or open its tab on a phone) and bring the hint into view
    item.scrollIntoView({ block: 'nearest' });
    hintsShown += 1;
    ui.hintStatus.textContent = hintsShown < data.hints.length
      ? `Hint ${hintsShown} of ${data.hints.length}.`
      : `Hint ${hintsShown} of ${data.hints.length}: that was the last one.`;
    if (hintsShown === data.hints.length) ui.hint.setAttribute('aria-disabled', 'true');
  });

  let closeDiff: (() => void) | undefined;
  /** the button that opened the diff: focus goes back to it when the diff closes */
  let opener: HTMLElement = ui.solution;
  /** The diff takes the editor's place in the code pane, so the results stay beside it. */
  const showSolution = async (from: HTMLElement) => {
    opener = from;
    ui.solutionBox.hidden = false;
    ui.editorArea.hidden = true;
    ui.panes.show('code');
    closeDiff?.();
    closeDiff = await showDiff(ui.diffHost, editor().files()[active()] ?? '', data.solution[active()] ?? '', active());
    ui.hideSolution.focus();
  };
  ui.solution.addEventListener('click', async () => {
    // Before solving, the solution gives the answer away: ask first. Once solved, it is there to compare with.
    if (!state.state.solved) {
      const yes = await confirm(ui, 'Show the solution?', 'You will see the reference solution beside your code. Trying one more hint first often teaches more.', 'Show the solution');
      if (!yes) return;
    }
    await showSolution(ui.solution);
  });
  ui.compare.addEventListener('click', () => void showSolution(ui.compare));
  ui.hideSolution.addEventListener('click', () => {
    closeDiff?.();
    closeDiff = undefined;
    ui.solutionBox.hidden = true;
    ui.editorArea.hidden = false;
    if (opener === ui.compare) ui.panes.show('results'); // on a phone, the offer is in the results tab
    opener.focus();
  });
  ui.reset.addEventListener('click', async () => {
    const yes = await confirm(ui, 'Reset your code?', 'Your changes to this kata will be replaced by the starter code. Export your progress first if you want to keep them.', 'Reset to the starter');
    if (!yes) return;
    editor().setFiles(data.starter);
    changed();
    editor().mark([]);
    state.update({ summary: { text: 'Your code was reset to the starter.', tone: 'idle' } });
  });
}
