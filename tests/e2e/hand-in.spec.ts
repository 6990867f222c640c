// Handing in: a learner downloads one file with their name and their katas, by keyboard alone, and the instructor's
// grader (`npm run kata -- grade --class <folder>`) grades exactly that file.
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project's Node (24, which runs the TypeScript CLI as it is), as `npm run kata` uses it. */
const NODE = existsSync('node_modules/.bin/node') ? 'node_modules/.bin/node' : process.execPath;
const solution = readFileSync('katas/visit-counter/solution/app.ts', 'utf8');

test('a learner hands in by keyboard, and the grader grades the downloaded file under their name', async ({ page }) => {
  await page.goto('/katas/visit-counter/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  await page.evaluate((text) => (window as unknown as { dojoWorkbench: { setFiles(f: Record<string, string>): void } }).dojoWorkbench.setFiles({ 'app.ts': text }), solution);
  await page.getByRole('button', { name: 'Run tests' }).click();
  await expect(page.locator('[data-summary]')).toHaveAttribute('data-state', 'pass', { timeout: 180_000 });

  const handIn = page.getByRole('button', { name: 'Hand in' });
  await handIn.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Hand in your work' });
  await expect(dialog).toBeVisible();
  const name = dialog.getByRole('textbox', { name: /Your name/ });
  await expect(name).toBeFocused();
  for (const theme of ['light', 'dark']) {
    await page.evaluate((value) => { document.documentElement.dataset.theme = value; }, theme);
    const { violations } = await new AxeBuilder({ page }).include('[data-hand-in-dialog]').analyze();
    expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')).map((violation) => `${theme}: ${violation.id}`)).toEqual([]);
  }

  // No name: nothing is downloaded, and the field says why.
  await page.keyboard.press('Enter');
  await expect(dialog.locator('[data-hand-in-problem]')).toHaveText('Not handed in: your name is empty.');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(name).toBeFocused();

  await page.keyboard.type('Ada Lovelace');
  await expect(name).not.toHaveAttribute('aria-invalid', 'true');
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toBe('stateless-dojo-hand-in-ada-lovelace.json');
  await expect(dialog).toBeHidden();
  await expect(handIn).toBeFocused();
  await expect(page.locator('[data-progress-status]')).toContainText('Give this file to your instructor');

  const classDir = mkdtempSync(join(tmpdir(), 'dojo-class-'));
  await file.saveAs(join(classDir, file.suggestedFilename()));
  const handedIn = JSON.parse(readFileSync(join(classDir, file.suggestedFilename()), 'utf8'));
  expect(handedIn).toMatchObject({ format: 'stateless-dojo-hand-in', learner: 'Ada Lovelace', solved: ['visit-counter'] });
  expect(handedIn.files['visit-counter']['app.ts']).toBe(solution);

  const output = execFileSync(NODE, ['src/cli/kata.ts', 'grade', '--class', classDir, '--format', 'json'], { encoding: 'utf8', timeout: 240_000 });
  const grades = JSON.parse(output);
  expect(grades.results).toEqual([expect.objectContaining({ learner: 'Ada Lovelace', kata: 'visit-counter', status: 'pass' })]);
  expect(grades.results[0].passed).toBe(grades.results[0].total);

  // Escape closes the dialog without handing in.
  await handIn.focus();
  await page.keyboard.press('Enter');
  await expect(name).toHaveValue('Ada Lovelace');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(handIn).toBeFocused();
});

test('the home page hands in every kata the learner worked on, with the name typed last time', async ({ page }) => {
  await page.goto('/katas/visit-counter/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  const mine = `// my attempt\n${solution}`;
  await page.evaluate((text) => (window as unknown as { dojoWorkbench: { setFiles(f: Record<string, string>): void } }).dojoWorkbench.setFiles({ 'app.ts': text }), mine);
  await page.evaluate(() => localStorage.setItem('dojo-learner-name', 'Grace Hopper'));
  // The code is saved as the learner types; the export of this page waits for that save.
  const exported = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress' }).click();
  await exported;

  await page.goto('/');
  const handIn = page.getByRole('button', { name: 'Hand in' });
  await handIn.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Hand in your work' });
  await expect(dialog.getByRole('textbox', { name: /Your name/ })).toHaveValue('Grace Hopper');
  const { violations } = await new AxeBuilder({ page }).include('[data-hand-in-dialog]').analyze();
  expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')).map((violation) => violation.id)).toEqual([]);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  const file = await download;
  expect(file.suggestedFilename()).toBe('stateless-dojo-hand-in-grace-hopper.json');
  const saved = join(mkdtempSync(join(tmpdir(), 'dojo-class-')), file.suggestedFilename());
  await file.saveAs(saved);
  const handedIn = JSON.parse(readFileSync(saved, 'utf8'));
  expect(handedIn).toMatchObject({ format: 'stateless-dojo-hand-in', learner: 'Grace Hopper' });
  expect(handedIn.files['visit-counter']['app.ts']).toBe(mine);
  await expect(page.locator('[data-hand-in-status]')).toContainText('Give this file to your instructor');
});
