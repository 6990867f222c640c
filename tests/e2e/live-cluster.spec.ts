// A live cluster inside a lesson: it loads only on scroll, answers requests, and shows a restart losing the count.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const LESSON = '/lessons/one-or-more-processes/';

/** Every script the page fetched so far, with its gzipped size from the built site. */
function scriptsOf(page: Page): { url: string; gz: number }[] {
  const scripts: { url: string; gz: number }[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.request().resourceType() !== 'script' || url.hostname !== 'localhost') return;
    const file = `dist${url.pathname}`;
    scripts.push({ url: url.pathname, gz: existsSync(file) ? gzipSync(readFileSync(file)).byteLength : 0 });
  });
  return scripts;
}

test('the lesson loads the cluster only when it scrolls into view, and its JavaScript before that stays small', async ({ page }) => {
  const scripts = scriptsOf(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(LESSON);
  await page.waitForLoadState('load');
  const figure = page.locator('dojo-live-cluster');
  await expect(figure).toContainText(/starts when you scroll to it/);
  await expect(figure).not.toHaveAttribute('data-state', /./);
  const before = scripts.reduce((sum, script) => sum + script.gz, 0);
  console.log(`lesson JS before the cluster is in view: ${(before / 1024).toFixed(1)} KiB gz in ${scripts.length} files: ${scripts.map((s) => s.url).join(', ')}`);
  // Only the loader: not the cluster's module, nor its engine.
  expect(scripts.filter((script) => /element|live-cluster|live\.worker|offline-engine/.test(script.url))).toEqual([]);
  expect(before).toBeLessThanOrEqual(20 * 1024);

  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await expect(page.getByRole('button', { name: 'Restart web.3' })).toBeVisible();
});

test('a reader sends requests, and a restart shows the count going wrong', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(LESSON);
  const figure = page.locator('dojo-live-cluster');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');

  await figure.getByLabel('Load balancer').selectOption('round-robin');
  await expect(figure.getByRole('list', { name: 'What happened, step by step' })).toContainText('round-robin');
  const send = figure.getByRole('button', { name: 'Send the request' });
  const answer = figure.getByLabel('Last answer');
  // Round-robin over three processes: each counts alone.
  for (const [process, visits] of [['web.1', 1], ['web.2', 1], ['web.3', 1], ['web.1', 2]] as const) {
    await send.click();
    await expect(answer).toHaveText(`GET / → ${process} (generation 1): 200 {"visits":${visits}}`);
  }
  await figure.getByRole('button', { name: 'Restart web.1' }).click();
  await expect(figure.getByRole('list', { name: 'What happened, step by step' })).toContainText('web.1 restarted: its memory was wiped (now generation 2)');
  // web.2 and web.3 answer next, then web.1 again: its count started over.
  await send.click();
  await expect(answer).toContainText('web.2 (generation 1): 200 {"visits":2}');
  await send.click();
  await expect(answer).toContainText('web.3 (generation 1): 200 {"visits":2}');
  await send.click();
  await expect(answer).toHaveText('GET / → web.1 (generation 2): 200 {"visits":1}');
  expect(errors).toEqual([]);
  // The running cluster is accessible in both themes.
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => (document.documentElement.dataset.theme = value), theme);
    const { violations } = await new AxeBuilder({ page }).include('.live-cluster').analyze();
    expect(violations.filter((violation) => ['serious', 'critical'].includes(violation.impact ?? '')).map((violation) => `${theme}: ${violation.id}`)).toEqual([]);
  }
});

test('the sessions lesson forgets a login when the process that held it restarts', async ({ page }) => {
  await page.goto('/lessons/sessions-in-a-store/');
  const figure = page.locator('dojo-live-cluster');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await figure.getByLabel('Load balancer').selectOption('sticky');
  await figure.getByRole('button', { name: 'Send the request' }).click();
  const answer = figure.getByLabel('Last answer');
  await expect(answer).toContainText(/POST \/login → (web\.\d) \(generation 1\): 200 \{"user":"ada"\}/);
  const holder = /→ (web\.\d)/.exec((await answer.textContent())!)![1]!;
  await figure.getByLabel('Request').selectOption('GET /me');
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(`GET /me → ${holder} (generation 1): 200`);
  await figure.getByRole('button', { name: `Restart ${holder}` }).click();
  await expect(figure.getByRole('list', { name: 'What happened, step by step' })).toContainText(`${holder} restarted`);
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(`GET /me → ${holder} (generation 2): 401`);
});

test('the uploads lesson loses a picture kept on one process’s disk when that process restarts', async ({ page }) => {
  await page.goto('/lessons/uploads-to-object-storage/');
  const figure = page.locator('dojo-live-cluster');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await figure.getByLabel('Load balancer').selectOption('sticky');
  const answer = figure.getByLabel('Last answer');
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(/POST \/avatar\/ada → web\.\d \(generation 1\): 2\d\d/);
  const holder = /→ (web\.\d)/.exec((await answer.textContent())!)![1]!;
  await figure.getByLabel('Request').selectOption('GET /avatar/ada');
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(`GET /avatar/ada → ${holder} (generation 1): 200`);
  await figure.getByRole('button', { name: `Restart ${holder}` }).click();
  await expect(figure.getByRole('list', { name: 'What happened, step by step' })).toContainText(`${holder} restarted`);
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(`GET /avatar/ada → ${holder} (generation 2): 404`);
});

test('the temp-files lesson loses a CSV waiting in one process’s /tmp when that process restarts', async ({ page }) => {
  await page.goto('/lessons/temp-files/');
  const figure = page.locator('dojo-live-cluster');
  await figure.scrollIntoViewIfNeeded();
  await expect(figure).toHaveAttribute('data-state', 'ready');
  await figure.getByLabel('Load balancer').selectOption('sticky');
  const answer = figure.getByLabel('Last answer');
  await expect(figure.getByLabel('Request')).toContainText('POST /lists/team/import (the file team.csv)');
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(/POST \/lists\/team\/import → web\.\d \(generation 1\): 200 \{"rows":2/);
  const holder = /→ (web\.\d)/.exec((await answer.textContent())!)![1]!;
  await figure.getByRole('button', { name: `Restart ${holder}` }).click();
  await expect(figure.getByRole('list', { name: 'What happened, step by step' })).toContainText(`${holder} restarted`);
  await figure.getByLabel('Request').selectOption('POST /lists/team/import/confirm');
  await figure.getByRole('button', { name: 'Send the request' }).click();
  await expect(answer).toContainText(`POST /lists/team/import/confirm → ${holder} (generation 2): 404`);
});
