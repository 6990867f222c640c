// "Hand in": asks the learner's name in a dialog and downloads one file for the instructor's grader
// (`npm run kata -- grade --class <folder>`): the exported progress with the name and the katas solved.
import type { WorkbenchContext } from './context.ts';

/** The name typed last time, so a learner handing in again after more work need not type it again. */
const NAME_KEY = 'dojo-learner-name';

export function wireHandIn({ ui, work }: WorkbenchContext): void {
  const { handIn, handInDialog: dialog, handInForm: form, handInName: name, handInProblem: problem, handInCancel: cancel } = ui;
  const clearProblem = () => {
    problem.textContent = '';
    name.removeAttribute('aria-invalid');
  };
  handIn.addEventListener('click', () => {
    clearProblem();
    if (!name.value) {
      try {
        name.value = localStorage.getItem(NAME_KEY) ?? '';
      } catch {
        // storage blocked: the learner types it
      }
    }
    dialog.showModal();
    name.focus();
    name.select();
  });
  cancel.addEventListener('click', () => dialog.close());
  name.addEventListener('input', clearProblem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      // The grader's own maker checks the file as the grader will read it, so what is downloaded is gradable.
      const [{ makeHandIn, handInText, handInFileName }, { progress }] = await Promise.all([import('../cli/grade/hand-in.ts'), work.exportProgress()]);
      const made = makeHandIn(progress, name.value, new Date().toISOString());
      const fileName = handInFileName(made.learner);
      download(handInText(made), fileName);
      try {
        localStorage.setItem(NAME_KEY, made.learner);
      } catch {
        // not remembered: nothing else depends on it
      }
      dialog.close();
      const katas = Object.keys(made.files).length;
      ui.progressStatus.textContent = `Downloaded ${fileName}: your code for ${katas} kata${katas === 1 ? '' : 's'}, ${made.solved.length} solved. Give this file to your instructor.`;
      handIn.focus();
    } catch (error) {
      // The grader's words are for the instructor ("the learner's name"); the learner reads them about themselves.
      const message = (error as Error).message.replace(/^damaged: /, '').replace("the learner's name", 'your name');
      problem.textContent = `Not handed in: ${message}.`;
      name.setAttribute('aria-invalid', 'true');
      name.focus();
    }
  });
}

function download(text: string, fileName: string): void {
  const blob = new Blob([text], { type: 'application/json' });
  const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
