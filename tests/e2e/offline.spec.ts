// A room with bad Wi-Fi: after one visit the whole site works with the network cut (lessons, katas and their runs,
// the editor, search), and a new build is offered with a polite notice rather than swapped in under the learner.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { RESPONSE_HEADERS } from '../../src/utils/headers.ts';

// The other specs block the service worker (playwright.config.ts): here it is what is tested.
test.use({ serviceWorkers: 'allow' });

const solution = (slug: string) => readFileSync(`katas/${slug}/solution/app.ts`, 'utf8');

/** One visit, online: the check page says when this browser keeps every file of the site. */
async function visitUntilReadyOffline(page: Page) {
  await page.goto('/engine-check/');
  const status = page.locator('[data-offline-status]');
  // A last resort, not a measure of speed: the first visit downloads the whole site (about 30 MB) in the background.
  await expect(status).toHaveAttribute('data-state', 'ready', { timeout: 240_000 });
  await expect(status).toHaveText(/^Ready offline: all \d+ files of this version of the site are kept/);
  // Which engine works offline, said plainly where the instructor checks offline readiness.
  await expect(page.locator('[data-offline-engine]')).toContainText('When the network is gone, katas run in the offline engine');
  await expect(page.locator('[data-offline-engine]')).toContainText("needs StackBlitz's online service to start, so it cannot work offline");
}

async function runSolution(page: Page, slug: string) {
  await page.goto(`/katas/${slug}/`);
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  // The full editor (Monaco and its TypeScript worker) loads from the cache too.
  await page.getByRole('textbox', { name: /Code of app\.ts/ }).focus();
  await expect(page.locator('[data-workbench][data-editor=monaco]')).toBeVisible();
  await page.evaluate((text) => (window as unknown as { dojoWorkbench: { setFiles(f: Record<string, string>): void } }).dojoWorkbench.setFiles({ 'app.ts': text }), solution(slug));
  await page.getByRole('button', { name: 'Run tests' }).click();
  const summary = page.locator('[data-summary]');
  await expect(summary).toHaveAttribute('data-state', /pass|fail/, { timeout: 180_000 });
  return summary;
}

test('after one visit, a lesson, a kata page, a kata run and search work with the network cut', async ({ page, context }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await visitUntilReadyOffline(page);
  await context.setOffline(true);
  // The network really is gone: a file the site does not have cannot be fetched.
  expect(await page.evaluate(() => fetch('/no-such-file.txt').then(() => 'fetched', () => 'offline'))).toBe('offline');

  await page.goto('/lessons/share-nothing/');
  await expect(page.locator('h1')).toBeVisible();
  // Pages from the cache keep the headers that make them cross-origin isolated (the engine needs it).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);

  const summary = await runSolution(page, 'visit-counter');
  await expect(summary).toHaveAttribute('data-state', 'pass');
  await expect(summary).toHaveText(/All 5 tests passed/);
  await expect(page.locator('[data-test-list] li').first()).toBeVisible();

  await page.goto('/search/?q=session');
  await expect(page.locator('[data-search-status]')).toHaveText(/\d+ results? for/);
  expect(problems).toEqual([]);
});

test('a kata that needs the SQL database runs offline: its bundled database files are kept too', async ({ page, context }) => {
  await visitUntilReadyOffline(page);
  await context.setOffline(true);
  const summary = await runSolution(page, 'notes');
  await expect(summary).toHaveAttribute('data-state', 'pass');
});

/**
 * The built site on a server of the test's own, whose next deploy can be made: `deploy()` changes the bytes of sw.js,
 * as a new build does. (Playwright's routing cannot reach the browser's own fetch of a service worker script.)
 */
async function deployableSite(): Promise<{ origin: string; deploy(): void; close(): Promise<void> }> {
  let build = 1;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = join(DIST, path);
    if (!file.startsWith(DIST)) file = DIST;
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404, RESPONSE_HEADERS).end();
      return;
    }
    let body: Buffer = readFileSync(file);
    if (path === '/sw.js') body = Buffer.concat([body, Buffer.from(`\n// build ${build}\n`)]);
    response.writeHead(200, { ...RESPONSE_HEADERS, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    deploy: () => { build += 1; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const DIST = join(process.cwd(), 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.xml': 'application/xml',
};

test('a new version of the site is offered with a polite notice, and Reload brings it in', async ({ page }) => {
  const site = await deployableSite();
  try {
    await page.goto(`${site.origin}/engine-check/`);
    await expect(page.locator('[data-offline-status]')).toHaveAttribute('data-state', 'ready', { timeout: 240_000 });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const notice = page.locator('[data-update-notice]');
    await expect(notice).toHaveAttribute('role', 'status');
    await expect(notice).toBeEmpty();

    site.deploy();
    // The browser looks for a new sw.js on every visit; here the page is asked to look now.
    await page.evaluate(() => navigator.serviceWorker.getRegistration('/').then((registration) => registration?.update()));
    await expect(notice).toHaveText('A new version of the site is available — Reload', { timeout: 240_000 });
    const { violations } = await new AxeBuilder({ page }).include('[data-update-notice]').analyze();
    expect(violations.map((violation) => violation.id)).toEqual([]);
    // Nothing was swapped in under the learner: the page is still served by the build it loaded with.
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration('/').then((registration) => registration?.waiting !== null))).toBe(true);

    // Keyboard: the button is reachable, and Enter reloads into the new build.
    await notice.getByRole('button', { name: 'Reload' }).focus();
    const reloaded = page.waitForEvent('load');
    await page.keyboard.press('Enter');
    await reloaded;
    await expect(page.locator('[data-offline-status]')).toHaveAttribute('data-state', 'ready', { timeout: 240_000 });
    await expect(notice).toBeEmpty();
    expect(await page.evaluate(() => navigator.serviceWorker.getRegistration('/').then((registration) => registration?.waiting ?? null))).toBeNull();
  } finally {
    await site.close();
  }
});
