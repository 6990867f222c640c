// The site in a real Chromium: course map, lesson pages, keyboard use, search, isolation, console and axe.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const ROOT = new URL('../../', import.meta.url);
const DIST = new URL('dist/', ROOT);
const KATAS = new URL('katas/', ROOT);
/** How many katas the course has: each is a folder of katas/ with a kata.json. */
const KATA_COUNT = readdirSync(KATAS, { withFileTypes: true }).filter((entry) => entry.isDirectory() && existsSync(new URL(`${entry.name}/kata.json`, KATAS))).length;

/** The paths a sitemap lists, e.g. `/lessons/sessions-in-a-store/`. */
function pathsIn(xml: string): string[] {
  return [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1]!).pathname);
}

/**
 * Every page of the built site, read from its sitemap when the tests are collected (so each page gets tests of
 * its own and new pages are checked without listing them); empty when the site has not been built.
 */
function builtPages(): string[] {
  if (!existsSync(DIST)) return [];
  const sitemaps = readdirSync(DIST).filter((name) => /^sitemap-\d+\.xml$/.test(name));
  return sitemaps.flatMap((name) => pathsIn(readFileSync(new URL(name, DIST), 'utf8'))).sort();
}

/** "the lesson page /lessons/x/": what a page is, for test names. */
function describePage(path: string): string {
  if (path === '/') return 'the home page /';
  if (path.startsWith('/lessons/')) return `the lesson page ${path}`;
  if (path.startsWith('/katas/')) return `the kata page ${path}`;
  if (path === '/search/') return 'the search page /search/';
  return `the page ${path}`;
}

/** What the sources say the site must have a page for: every lesson in lessons/, every kata in katas/. */
function sourcePages(): string[] {
  const lessons = readdirSync(new URL('lessons/', ROOT)).filter((name) => name.endsWith('.mdx')).map((name) => `/lessons/${name.slice(0, -'.mdx'.length)}/`);
  const katas = readdirSync(new URL('katas/', ROOT), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(new URL(`katas/${entry.name}/kata.json`, ROOT)))
    .map((entry) => `/katas/${entry.name}/`);
  return [...lessons, ...katas].sort();
}

test('the home page lists the lessons in order, each with its kata', async ({ page }) => {
  await page.goto('/');
  const map = page.getByRole('list', { name: 'Course map' });
  await expect(map).toBeVisible();
  const lessons = map.getByRole('link', { name: /.+/ }).filter({ has: page.locator(':scope:not([data-kata])') });
  await expect(map.getByRole('link', { name: 'Any process can serve any request' })).toBeVisible();
  await expect(map.getByRole('link', { name: /Sessions/ }).first()).toBeVisible();
  await expect(map.getByRole('link', { name: /Uploads go to object storage/ })).toBeVisible();
  // Every kata of the course is on the map (counted from katas/, so a new kata needs no edit here).
  await expect(map.locator('a[data-kata]')).toHaveCount(KATA_COUNT);
  expect(await lessons.count()).toBeGreaterThanOrEqual(8);
  // Concepts 1 to 7 (with 6b) have their lessons, in the course's order.
  const titles = await map.locator('.row:not(.upcoming) .title').allTextContents();
  expect(titles.slice(0, 8)).toEqual([
    'Any process can serve any request',
    'Share nothing between processes',
    'Persistent data lives in a database',
    'Sessions live in a store, not in the process',
    'Sticky sessions are a violation',
    'Uploads go to object storage',
    'Let the browser upload straight to storage',
    'Memory and disk are a brief, single-transaction cache',
  ]);
  const numbers = await map.locator('.row .number').allTextContents();
  expect(numbers.slice(0, 8)).toEqual(['1', '2', '3', '4', '5', '6', '6b', '7']);
});

test('a lesson renders its sections and links to its kata and its neighbours', async ({ page }) => {
  await page.goto('/lessons/sessions-in-a-store/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/Sessions/);
  for (const section of ['The idea', 'Violation and fix', 'The litmus test', 'In your stack']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
  }
  await expect(page.getByRole('img', { name: /.+/ }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: /Solve the kata/ })).toHaveAttribute('href', '/katas/sessions/');

  await page.getByRole('link', { name: /Next lesson/ }).click();
  await expect(page).toHaveURL(/\/lessons\/sticky-sessions\/$/);
  await page.getByRole('link', { name: /Previous lesson/ }).click();
  await expect(page).toHaveURL(/\/lessons\/sessions-in-a-store\/$/);
});

test('a lesson is usable with the keyboard alone', async ({ page }) => {
  await page.setViewportSize({ width: 1300, height: 900 });
  await page.goto('/lessons/one-or-more-processes/');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  // The self-check answers with the keyboard: focus an option, pick it, submit.
  const check = page.locator('[data-self-check]').first();
  await check.locator('input[type=radio]').first().focus();
  await page.keyboard.press('Space');
  await check.getByRole('button', { name: 'Check answer' }).focus();
  await page.keyboard.press('Enter');
  await expect(check.getByRole('status')).toHaveText(/Right\.|Not quite\./);

  // Tab order reaches the next-lesson link; Enter follows it.
  const next = page.getByRole('link', { name: /Next lesson/ });
  let reached = false;
  for (let i = 0; i < 120 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await next.evaluate((element) => element === document.activeElement);
  }
  expect(reached, 'Tab never reached the next-lesson link').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/share-nothing\/$/);
});

test('a wrong self-check answer says why it tempts, keeps the answer hidden, and can be tried again', async ({ page }) => {
  await page.goto('/lessons/one-or-more-processes/');
  const check = page.locator('[data-self-check]').first();
  const explanation = check.locator('.explanation');
  await check.getByRole('radio').first().check(); // "visits: 9, because the load balancer passes requests along in order"
  await check.getByRole('button', { name: 'Check answer' }).click();
  await expect(check.getByRole('status')).toHaveText(/^Not quite\. The load balancer only picks a process.* Try another answer\.$/);
  await expect(explanation).toBeHidden();
  await check.getByRole('radio').nth(1).check();
  await check.getByRole('button', { name: 'Check answer' }).click();
  await expect(check.getByRole('status')).toHaveText('Right.');
  await expect(explanation).toBeVisible();
});

test('a lesson page ships no editor or engine JavaScript', async ({ page }) => {
  const scripts: { url: string; bytes: number }[] = [];
  page.on('response', async (response) => {
    if (/\.m?js(\?|$)/.test(response.url())) scripts.push({ url: response.url(), bytes: (await response.body()).byteLength });
  });
  await page.goto('/lessons/uploads-to-object-storage/');
  await page.waitForLoadState('networkidle');
  expect(scripts.filter((script) => /monaco|editor|workbench|supervisor|process\.worker/i.test(script.url))).toEqual([]);
  const total = scripts.reduce((sum, script) => sum + script.bytes, 0);
  expect(total, `lesson page JavaScript: ${scripts.map((script) => script.url).join(', ')}`).toBeLessThan(20_000);
});

test('lessons, the course map and a kata page fit a phone screen without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ['/', '/lessons/share-nothing/', '/lessons/a-database/', '/lessons/sessions-in-a-store/', '/lessons/sticky-sessions/', '/lessons/direct-uploads/', '/lessons/temp-files/', '/katas/sessions/', '/katas/checkout/']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
  }
});

test('search finds a lesson by a word that only its body contains', async ({ page }) => {
  await page.goto('/search/');
  await page.getByRole('searchbox', { name: /Search for a word/ }).fill('phpredis');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toHaveText(/1 result|[2-9] results/);
  await expect(page.getByRole('link', { name: /Sessions/ }).last()).toHaveAttribute('href', /sessions-in-a-store/);

  await page.getByRole('searchbox').fill('xyzzynotaword');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toHaveText(/Nothing in the lessons or katas mentions/);
});

test('the header finds a kata brief as you type, and the keyboard alone opens it', async ({ page }) => {
  await page.goto('/lessons/share-nothing/');
  const box = page.getByRole('searchbox', { name: 'Search lessons and katas' });
  // "panorama" is in the thumbnails kata's brief, and in no lesson.
  await box.pressSequentially('panorama');
  const results = page.locator('#header-search-results');
  const hit = results.getByRole('link', { name: 'Kata: Thumbnails' });
  await expect(hit).toBeVisible();
  await expect(page.locator('dojo-header-search [role=status]')).toHaveText('1 result for “panorama”: press the down arrow to go through them.');
  // Escape folds the results and leaves the learner in the box with their words; the down arrow opens them again,
  // and walks into them.
  await box.press('Escape');
  await expect(results).toBeHidden();
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('panorama');
  await box.press('ArrowDown');
  await expect(hit).toBeVisible();
  await box.press('ArrowDown');
  await expect(hit).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/katas\/thumbnails\/$/);

  // Enter in the box goes to the full results page, which runs the same search.
  const again = page.getByRole('searchbox', { name: 'Search lessons and katas' });
  await again.fill('xyzzynotaword');
  await expect(page.locator('#header-search-results')).toContainText('Nothing in the lessons or katas mentions “xyzzynotaword”.');
  await again.press('Enter');
  await expect(page).toHaveURL(/\/search\/\?q=xyzzynotaword$/);
  await expect(page.getByRole('status')).toHaveText(/Nothing in the lessons or katas mentions/);
});

test('the theme switch toggles dark mode and remembers it', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const toggle = page.getByRole('button', { name: 'Dark theme' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('button', { name: 'Dark theme' })).toHaveAttribute('aria-pressed', 'true');
});

test('the sitemap lists the home page, every lesson and every kata (so each gets the page checks below)', async ({ page }) => {
  const pages = builtPages();
  expect(pages, 'no sitemap in dist/: run `npm run build` before the browser tests').not.toEqual([]);
  const response = await page.request.get('/sitemap-index.xml');
  expect(response.ok()).toBe(true);
  const served = (await Promise.all(pathsIn(await response.text()).map(async (path) => pathsIn(await (await page.request.get(path)).text())))).flat().sort();
  expect(served, 'the site served is not the one in dist/').toEqual(pages);
  const missing = ['/', ...sourcePages()].filter((path) => !pages.includes(path));
  expect(missing, 'pages the sources have but the built site lacks: run `npm run build` again').toEqual([]);
});

// One test per page and theme, so the time of each stays the same however large the site grows.
test.describe('every page', () => {
  test.describe.configure({ mode: 'parallel' });
  for (const path of builtPages()) {
    for (const theme of ['light', 'dark'] as const) {
      test(`${describePage(path)} is cross-origin isolated, logs no console errors and has no serious axe violations (${theme} theme)`, async ({ page }) => {
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(message.text());
        });
        page.on('pageerror', (error) => errors.push(error.message));
        await page.emulateMedia({ colorScheme: theme });
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        expect(await page.evaluate(() => crossOriginIsolated), `${path} is not cross-origin isolated`).toBe(true);
        const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']).analyze();
        const serious = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
        expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  }
});
