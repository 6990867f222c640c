// The learner's progress beyond this browser: export to a file, import it back (checked, asked, backed up), share a link.
import { ProgressError } from './save/progress-file.ts';
import { readSolved } from '../utils/progress-marks.ts';
import type { WorkbenchContext } from './context.ts';

export function wireProgress({ ui, data, work, state }: WorkbenchContext): void {
  ui.exportButton.addEventListener('click', async () => {
    const { progress, status } = await work.exportProgress();
    const blob = new Blob([JSON.stringify(progress, null, 2)], { type: 'application/json' });
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'stateless-dojo-progress.json' });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    ui.progressStatus.textContent = status;
  });
  ui.importButton.addEventListener('click', () => ui.importFile.click());
  ui.importFile.addEventListener('change', async () => {
    const file = ui.importFile.files?.[0];
    ui.importFile.value = '';
    if (!file) return;
    try {
      ui.progressStatus.textContent = await work.importProgress(await file.text(), file.name);
      state.update({ solved: state.state.solved || readSolved().has(data.slug) });
    } catch (error) {
      ui.progressStatus.textContent = error instanceof ProgressError ? error.message : `The file could not be read: ${(error as Error).message}. Nothing was changed.`;
    }
  });
  ui.share.addEventListener('click', async () => {
    let url: string;
    try {
      url = work.shareUrl();
    } catch (error) {
      ui.progressStatus.textContent = (error as Error).message;
      return;
    }
    ui.shareBox.hidden = false;
    ui.shareUrl.value = url;
    ui.shareUrl.select();
    try {
      await navigator.clipboard.writeText(url);
      ui.progressStatus.textContent = 'The link to your code is copied. Open it in another browser to carry on there.';
    } catch {
      ui.progressStatus.textContent = 'Copy the link below and open it in another browser to carry on there.';
    }
  });
}
