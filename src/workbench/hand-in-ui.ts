// "Hand in" (kata page and home): asks the learner's name in a dialog (src/components/HandInDialog.astro) and downloads
// one file for the instructor's grader (`npm run kata -- grade --class <folder>`): the learner's progress (every
// kata's code, the katas solved) with their name.
import type { Files } from './save/files.ts';

/** The name typed last time, so a learner handing in again after more work need not type it again. */
const NAME_KEY = 'dojo-learner-name';

/** What is handed in: as "Export progress" gathers it. */
export type GatherProgress = () => Promise<{ solved: readonly string[]; files: Readonly<Record<string, Files>> }>;

export function wireHandIn(dialog: HTMLDialogElement, button: HTMLButtonElement, status: HTMLElement, gather: GatherProgress): void {
  const $ = <T extends HTMLElement>(selector: string) => dialog.querySelector<T>(selector)!;
  const form = $<HTMLFormElement>('[data-hand-in-form]');
  const name = $<HTMLInputElement>('[data-hand-in-name]');
  const problem = $('[data-hand-in-problem]');
  const clearProblem = () => {
    problem.textContent = '';
    name.removeAttribute('aria-invalid');
  };
  button.addEventListener('click', () => {
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
  $('[data-hand-in-cancel]').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => button.focus());
  name.addEventListener('input', clearProblem);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      // The grader's own maker checks the file as the grader will read it, so what is downloaded is gradable.
      const [{ makeHandIn, handInText, handInFileName }, progress] = await Promise.all([import('../cli/grade/hand-in.ts'), gather()]);
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
      status.textContent = `Downloaded ${fileName}: your code for ${katas} kata${katas === 1 ? '' : 's'}, ${made.solved.length} solved. Give this file to your instructor.`;
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
