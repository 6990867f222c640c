// The learner's progress beyond this browser: export to a file, import it back (checked first), share a link.
import { ProgressError, shareFragment } from './persistence.ts';
import { readSolved } from '../utils/progress-marks.ts';
import type { WorkbenchContext } from './context.ts';

export function wireProgress({ ui, data, store, state, editor }: WorkbenchContext): void {
  ui.exportButton.addEventListener('click', async () => {
    await store.save(data.slug, editor().files());
    const progress = await store.exportProgress();
    const blob = new Blob([JSON.stringify(progress, null, 2)], { type: 'application/json' });
    const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'stateless-dojo-progress.json' });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    ui.progressStatus.textContent = `Exported your progress (${Object.keys(progress.files).length} kata${Object.keys(progress.files).length === 1 ? '' : 's'}, ${progress.solved.length} solved).`;
  });
  ui.importButton.addEventListener('click', () => ui.importFile.click());
  ui.importFile.addEventListener('change', async () => {
    const file = ui.importFile.files?.[0];
    ui.importFile.value = '';
    if (!file) return;
    try {
      const { katas, solved } = await store.importProgress(await file.text(), data.katas);
      const mine = await store.load(data.slug);
      if (mine) editor().setFiles({ ...data.starter, ...mine });
      state.update({ solved: state.state.solved || readSolved().has(data.slug) });
      ui.progressStatus.textContent = `Imported your progress: code for ${katas} kata${katas === 1 ? '' : 's'}, ${solved} solved.`;
    } catch (error) {
      ui.progressStatus.textContent = error instanceof ProgressError ? error.message : `The file could not be read: ${(error as Error).message}. Nothing was changed.`;
    }
  });
  ui.share.addEventListener('click', async () => {
    const url = `${location.origin}${location.pathname}${shareFragment(data.slug, editor().files())}`;
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
