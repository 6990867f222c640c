// The site under its own Content-Security-Policy and security headers: a kata runs, the editor loads, search works,
// and the browser reports no violation anywhere.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { PAGE_POLICY, RESPONSE_HEADERS } from '../../src/utils/headers.ts';

/** Every CSP violation the page sees (its own, and its workers' reported to the console), and every console error. */
function watchViolations(page: Page): string[] {
  const problems: string[] = [];
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

test('every page and script is served with the security headers, and each page carries its own policy', async ({ page }) => {
  const response = await page.goto('/katas/visit-counter/');
  const headers = response!.headers();
  for (const [name, value] of Object.entries(RESPONSE_HEADERS)) expect(headers[name.toLowerCase()]).toBe(value);
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute('content', PAGE_POLICY);
  // The page policy is the first thing in the head: nothing runs before it applies.
  expect(await page.evaluate(() => document.head.firstElementChild?.nextElementSibling?.getAttribute('http-equiv'))).toBe('Content-Security-Policy');
  // A page of another site cannot frame the kata page.
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
});

test('a kata runs, the full editor loads and the solution diff opens under exactly the site policy, with no violation', async ({ page }) => {
  const problems = watchViolations(page);
  await page.goto('/katas/visit-counter/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  // The full editor (Monaco and its TypeScript worker) comes with the first focus.
  await page.getByRole('textbox', { name: /Code of app\.ts/ }).focus();
  await expect(page.locator('[data-workbench][data-editor=monaco]')).toBeVisible();
  const solution = readFileSync('katas/visit-counter/solution/app.ts', 'utf8');
  await page.evaluate((text) => (window as unknown as { dojoWorkbench: { setFiles(f: Record<string, string>): void } }).dojoWorkbench.setFiles({ 'app.ts': text }), solution);
  // Learner code is evaluated by SES inside the process workers: that needs eval there, and only there.
  await page.getByRole('button', { name: 'Run tests' }).click();
  await expect(page.locator('[data-summary]')).toHaveAttribute('data-state', 'pass');
  await expect(page.locator('[data-summary]')).toHaveText(/All 5 tests passed/);
  // Solved: the solution opens for comparison at once, without asking first.
  await page.getByRole('button', { name: 'Show solution' }).click();
  await expect(page.locator('[data-solution-box] .monaco-diff-editor')).toBeVisible();
  expect(problems).toEqual([]);

  // The page itself runs neither strings as code nor inline scripts (devtools' own evaluation is exempt, so the
  // attempts go through a string timer and an injected <script>, as an attacker's would).
  await page.evaluate(() => {
    const win = window as unknown as Record<string, unknown>;
    setTimeout('window.evaluatedString = true' as unknown as () => void, 0);
    const script = document.createElement('script');
    script.textContent = 'window.ranInline = true';
    document.head.append(script);
    win.probed = true;
  });
  await expect.poll(() => problems.length).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate(() => [(window as unknown as Record<string, unknown>).evaluatedString, (window as unknown as Record<string, unknown>).ranInline])).toEqual([undefined, undefined]);
  expect(problems.join('\n')).toMatch(/script-src/);
});
test('search (WebAssembly) and a lesson with its live cluster work under the site policy, with no violation', async ({ page }) => {
  const problems = watchViolations(page);
  await page.goto('/lessons/one-or-more-processes/');
  await expect(page.locator('h1')).toBeVisible();
  // The lesson's live cluster: its own worker and the process workers it starts.
  const cluster = page.locator('dojo-live-cluster');
  await cluster.scrollIntoViewIfNeeded();
  await expect(cluster).toHaveAttribute('data-state', 'ready');
  await cluster.getByRole('button', { name: 'Send the request' }).click();
  await expect(cluster.getByLabel('Last answer')).toContainText('200 {"visits":1}');
  await page.goto('/search/?q=session');
  await expect(page.locator('[data-search-status]')).toHaveText(/\d+ results? for/);
  await expect(page.locator('[data-search-results] a').first()).toBeVisible();
  expect(problems).toEqual([]);
});
