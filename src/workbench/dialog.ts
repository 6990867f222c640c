// Asks the learner before anything that replaces their code or gives the answer away: a modal dialog, Yes or Cancel.
import type { WorkbenchElements } from './elements.ts';

export function confirm(ui: Pick<WorkbenchElements, 'dialog' | 'confirmTitle' | 'confirmText' | 'confirmYes'>, title: string, text: string, yes: string): Promise<boolean> {
  ui.confirmTitle.textContent = title;
  ui.confirmText.textContent = text;
  ui.confirmYes.textContent = yes;
  ui.dialog.returnValue = '';
  ui.dialog.showModal();
  return new Promise((resolve) => {
    ui.dialog.addEventListener('close', () => resolve(ui.dialog.returnValue === 'yes'), { once: true });
  });
}
