// No edit is ever lost: quick reloads, two tabs, very large files, imports, share links and damaged saves.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lzString from 'lz-string';

const { compressToEncodedURIComponent } = lzString;

const starter = readFileSync('katas/visit-counter/starter/app.ts', 'utf8');
const KATA = '/katas/visit-counter/';

async function open(page: Page, url = KATA) {
  await page.goto(url);
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
}

type Hook = { dojoWorkbench: { files(): Record<string, string>; setFiles(files: Record<string, string>): void } };
const setCode = (page: Page, code: string) => page.evaluate((text) => (window as unknown as Hook).dojoWorkbench.setFiles({ 'app.ts': text }), code);
const editorCode = (page: Page) => page.evaluate(() => (window as unknown as Hook).dojoWorkbench.files());

/** What IndexedDB holds for the kata (read straight from the database, as the next visit would). */
function stored(page: Page): Promise<unknown> {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('stateless-dojo');
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      const get = request.result.transaction('work').objectStore('work').get('files:visit-counter');
      get.onsuccess = () => {
        request.result.close();
        resolve(get.result);
      };
    };
  }));
}
const storedCode = async (page: Page) => ((await stored(page)) as { files?: Record<string, string> } | undefined)?.files?.['app.ts'];

test('a reload right after typing keeps the last edit', async ({ page }) => {
  await open(page);
  for (let i = 1; i <= 5; i++) await setCode(page, `// edit ${i}\n${starter}`);
  await page.reload(); // no wait at all: the page copies what is not yet stored as it goes away
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  expect((await editorCode(page))['app.ts']).toBe(`// edit 5\n${starter}`);
  await expect.poll(() => storedCode(page)).toBe(`// edit 5\n${starter}`);
});

test('code the database never stored is kept by the copy the page makes as it goes away', async ({ context }) => {
  const first = await context.newPage();
  // This page's database refuses every save of code (as when the page goes away before a write is done).
  await first.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: unknown, key?: IDBValidKey) {
      if (typeof key === 'string' && key.startsWith('files:')) this.transaction.abort();
      return put.call(this, value, key);
    };
  });
  await open(first);
  await setCode(first, '// only in the tab\n' + starter);
  await expect(first.locator('[data-save-notice=failed]')).toContainText(/could not be saved/);
  await first.close({ runBeforeUnload: true });
  const second = await context.newPage();
  await open(second);
  expect((await editorCode(second))['app.ts']).toBe('// only in the tab\n' + starter);
  await expect.poll(() => storedCode(second)).toBe('// only in the tab\n' + starter);
});

test('two tabs on one kata notice each other, never overwrite each other unseen, and keep the other code in a backup', async ({ context }) => {
  const first = await context.newPage();
  const second = await context.newPage();
  await open(first);
  await open(second);
  await expect(first.locator('[data-save-notice=tabs]')).toContainText(/open in another tab/);
  await expect(second.locator('[data-save-notice=tabs]')).toContainText(/open in another tab/);

  await setCode(first, '// first tab\n' + starter);
  await expect.poll(() => storedCode(first)).toBe('// first tab\n' + starter);
  // The second tab is told, and saves nothing over the first tab's code, even when typed in.
  const conflict = second.locator('[data-save-notice=conflict]');
  await expect(conflict).toContainText(/Another tab saved different code/);
  await setCode(second, '// second tab\n' + starter);
  expect(await storedCode(second)).toBe('// first tab\n' + starter);

  // The learner keeps the second tab's code: it is stored, and the first tab's code is in a backup.
  await conflict.getByRole('button', { name: 'Keep the code in this tab' }).click();
  await expect.poll(() => storedCode(second)).toBe('// second tab\n' + starter);
  await expect(second.locator('.save-backups')).toContainText(/the other tab’s code/);
  // Now the first tab is told in its turn; it takes the second tab's code, and its own goes to a backup.
  const back = first.locator('[data-save-notice=conflict]');
  await expect(back).toBeVisible();
  await back.getByRole('button', { name: 'Use the other tab’s code' }).click();
  await expect.poll(async () => (await editorCode(first))['app.ts']).toBe('// second tab\n' + starter);
  await first.locator('.save-backups summary').click();
  // Notices, choices and backups are accessible in both themes.
  for (const theme of ['light', 'dark'] as const) {
    await first.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    const { violations } = await new AxeBuilder({ page: first }).include('dojo-save-panel').analyze();
    expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')).map((violation) => `${theme}: ${violation.id}`)).toEqual([]);
  }
  const restore = first.getByRole('button', { name: /Restore: .*this tab’s code, replaced by the other tab’s/ });
  await restore.click();
  await expect.poll(async () => (await editorCode(first))['app.ts']).toBe('// first tab\n' + starter);
  // Once the other tab is closed, the notice about it goes.
  await second.close({ runBeforeUnload: true });
  await expect(first.locator('[data-save-notice=tabs]')).toHaveCount(0);
});

test('a file too large to share is saved, said so, reloaded whole and exported', async ({ page }) => {
  await open(page);
  const big = `// big\n${'x'.repeat(1_200_000)}\n${starter}`;
  await setCode(page, big);
  await expect(page.locator('[data-save-notice=oversize]')).toContainText(/app\.ts is larger than 1\.0 MB \(1\.2 MB\)/);
  await expect.poll(async () => (await storedCode(page))?.length).toBe(big.length);
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  expect((await editorCode(page))['app.ts']).toBe(big);
  await expect(page.locator('[data-save-notice=oversize]')).toBeVisible();
  await page.getByRole('button', { name: 'Share link' }).click();
  await expect(page.locator('[data-progress-status]')).toContainText(/too large for a share link/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'dojo-')), 'progress.json');
  await (await download).saveAs(file);
  expect(JSON.parse(readFileSync(file, 'utf8')).files['visit-counter']['app.ts']).toBe(big);
  await expect(page.locator('[data-progress-status]')).toContainText(/over 1\.0 MB: Import progress will leave it out/);
});

test('Import progress lists what it replaces and asks; the code it replaced comes back with Undo', async ({ page }) => {
  await open(page);
  const dir = mkdtempSync(join(tmpdir(), 'dojo-'));
  const file = join(dir, 'class.json');
  writeFileSync(file, JSON.stringify({
    format: 'stateless-dojo-progress', version: 1, exportedAt: '2026-11-29T00:00:00Z', solved: [],
    files: { 'visit-counter': { 'app.ts': '// imported\n' + starter, 'evil.ts': 'x' }, sessions: { 'app.ts': '// imported sessions' } },
  }));
  await setCode(page, '// typing here\n' + starter);

  // Cancel changes nothing.
  await page.locator('[data-import-file]').setInputFiles(file);
  const dialog = page.getByRole('dialog', { name: 'Import this progress?' });
  await expect(dialog).toContainText('visit-counter (open here): replaces your code');
  await expect(dialog).toContainText('sessions: adds code');
  await expect(dialog).toContainText('left out: evil.ts of visit-counter');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.locator('[data-progress-status]')).toContainText('Import cancelled. Nothing was changed.');
  expect((await editorCode(page))['app.ts']).toBe('// typing here\n' + starter);

  // Import, then Undo: the code typed before is back, and stored.
  await page.locator('[data-import-file]').setInputFiles(file);
  await dialog.getByRole('button', { name: 'Import, and keep a backup' }).click();
  await expect(page.locator('[data-progress-status]')).toContainText(/Imported your progress: code for 2 katas/);
  expect(await editorCode(page)).toEqual({ 'app.ts': '// imported\n' + starter });
  await page.locator('[data-save-notice=import]').getByRole('button', { name: 'Undo the import' }).click();
  await expect.poll(async () => (await editorCode(page))['app.ts']).toBe('// typing here\n' + starter);
  await expect.poll(() => storedCode(page)).toBe('// typing here\n' + starter);
});

test('a share link brings only the kata’s own files, asks before replacing code, keeps a backup, and Reset leaves nothing extra', async ({ page }) => {
  await open(page);
  await setCode(page, '// mine\n' + starter);
  await expect.poll(() => storedCode(page)).toBe('// mine\n' + starter);
  const files: Record<string, string> = { 'app.ts': '// shared\n' + starter };
  for (let i = 0; i < 50; i++) files[`junk${i}.ts`] = 'x'.repeat(1000);
  await page.goto('about:blank');
  await page.goto(`${KATA}#share=${compressToEncodedURIComponent(JSON.stringify({ kata: 'visit-counter', files }))}`);
  const dialog = page.getByRole('dialog', { name: 'Open the shared code?' });
  await dialog.getByRole('button', { name: 'Open the shared code' }).click();
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  await expect(page.locator('[data-progress-status]')).toContainText(/Left out of the link: junk0\.ts.*this kata has no such file/);
  expect(await editorCode(page)).toEqual({ 'app.ts': '// shared\n' + starter });
  await expect(page.getByRole('tab')).toHaveCount(1);
  await expect.poll(() => stored(page)).toMatchObject({ files: { 'app.ts': '// shared\n' + starter } });
  expect(Object.keys(((await stored(page)) as { files: object }).files)).toEqual(['app.ts']);

  // My code from before the link is a backup away.
  await page.locator('.save-backups summary').click();
  await page.getByRole('button', { name: /Restore: .*before opening a share link/ }).click();
  await expect.poll(async () => (await editorCode(page))['app.ts']).toBe('// mine\n' + starter);

  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByRole('dialog', { name: 'Reset your code?' }).getByRole('button', { name: 'Reset to the starter' }).click();
  await expect.poll(() => stored(page)).toMatchObject({ files: { 'app.ts': starter } });
  expect(Object.keys(((await stored(page)) as { files: object }).files)).toEqual(['app.ts']);
});

test('damaged saved code gets a clear message, is kept as a backup, and the page still works', async ({ page }) => {
  await open(page);
  await page.evaluate(() => new Promise<void>((resolve) => {
    const request = indexedDB.open('stateless-dojo');
    request.onsuccess = () => {
      const put = request.result.transaction('work', 'readwrite').objectStore('work').put({ garbage: 42 }, 'files:visit-counter');
      put.onsuccess = () => {
        request.result.close();
        resolve();
      };
    };
  }));
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  await expect(page.locator('[data-save-notice=damaged]')).toContainText(/could not be read: it is damaged/);
  expect(await editorCode(page)).toEqual({ 'app.ts': starter });
  await page.locator('.save-backups summary').click();
  await expect(page.getByRole('button', { name: /Download: .*damaged saved code/ })).toBeVisible();
  // Saving works again (the damaged value was backed up first).
  await setCode(page, '// fresh\n' + starter);
  await expect.poll(() => storedCode(page)).toBe('// fresh\n' + starter);
});
