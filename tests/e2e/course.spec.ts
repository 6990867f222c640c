// Finding one's way through the course in real Chromium: progress and "continue" on the home page, what comes next
// at a lesson's end, a solved kata's next step; with the keyboard alone, without JavaScript and with broken storage.
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const FIRST = '/lessons/one-or-more-processes/';

/** Puts marks in localStorage as the pages write them (JSON values), then reloads the home page to read them. */
async function homeWithMarks(page: Page, marks: Record<string, unknown>) {
  await page.goto('/');
  await page.evaluate((entries) => {
    for (const [key, value] of Object.entries(entries)) localStorage.setItem(key, typeof value === 'string' ? value : JSON.stringify(value));
  }, marks);
  await page.reload();
}

const row = (page: Page, concept: number | string) => page.locator(`[data-progress-row][data-concept="${concept}"]`);
const stateOf = (page: Page, concept: number | string) => row(page, concept).locator('[data-state-label]');
const count = (page: Page) => page.getByRole('region', { name: 'Your progress' }).locator('[data-progress-count]');

/** The code the kata page saved for `slug` in IndexedDB (idb-keyval's database "stateless-dojo", store "work"). */
function savedCode(page: Page, slug: string): Promise<string | undefined> {
  return page.evaluate((key) => new Promise<string | undefined>((resolve) => {
    const open = indexedDB.open('stateless-dojo');
    open.onerror = () => resolve(undefined);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('work')) return resolve(undefined);
      const get = db.transaction('work').objectStore('work').get(key);
      get.onsuccess = () => resolve((get.result as { files?: Record<string, string> } | undefined)?.files?.['app.ts']);
      get.onerror = () => resolve(undefined);
    };
  }), `files:${slug}`);
}

function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

test('a newcomer sees nothing solved, every written concept not started, and a link to start with lesson 1', async ({ page }) => {
  const errors = pageErrors(page);
  await page.goto('/');
  await expect(count(page)).toHaveText('0 of 15 solved');
  const start = page.getByRole('region', { name: 'Your progress' }).getByRole('link', { name: /^Start with lesson 1/ });
  await expect(start).toHaveAttribute('href', FIRST);
  await expect(stateOf(page, 1)).toHaveText('Not started');
  await expect(stateOf(page, 13)).toHaveText('Not started');
  // Every concept of the course has its lesson and kata: no row is 'Coming' any more.
  await expect(page.locator('[data-progress-row][data-state="coming"]')).toHaveCount(0);
  const withKata = await page.locator('[data-progress-row][data-row-kata]').count();
  expect(withKata).toBeGreaterThanOrEqual(6);
  await expect(page.locator('[data-progress-row][data-state="not-started"]')).toHaveCount(withKata);
  await page.waitForLoadState('networkidle'); // the saved-code check (IndexedDB) has had its turn
  await expect(page.locator('[data-progress-row][data-state="not-started"]')).toHaveCount(withKata);
  expect(errors).toEqual([]);
});

test('a learner who solved two katas sees the count, each concept’s state and where to continue', async ({ page }) => {
  await homeWithMarks(page, {
    'dojo-solved': ['visit-counter', 'notes'],
    'dojo-attempted': ['visit-counter', 'sessions'],
    'dojo-read': ['one-or-more-processes', 'share-nothing'],
    'dojo-last-visit': { href: '/katas/sessions/', title: 'Kata: Login sessions' },
  });
  await expect(count(page)).toHaveText('2 of 15 solved');
  await expect(stateOf(page, 1)).toHaveText('Solved');
  await expect(stateOf(page, 2)).toHaveText('Read');
  await expect(stateOf(page, 3)).toHaveText('Solved');
  await expect(stateOf(page, 4)).toHaveText('Attempted');
  await expect(stateOf(page, 5)).toHaveText('Not started');
  await expect(stateOf(page, 13)).toHaveText('Not started');
  // The state is said with the concept, for a screen reader going through the map.
  await expect(row(page, 4).locator('.state')).toHaveText('Concept 4, your progress: Attempted');
  const resume = page.getByRole('link', { name: 'Continue where you left off: Kata: Login sessions' });
  await expect(resume).toHaveAttribute('href', '/katas/sessions/');
  await resume.click();
  await expect(page).toHaveURL(/\/katas\/sessions\/$/);
});

test('reading a lesson to its end marks it read, and the home page offers to continue there', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 700 });
  await page.goto('/lessons/share-nothing/');
  await page.goto('/');
  // Opened but not read to the end: the place to continue, not yet read.
  await expect(page.getByRole('link', { name: 'Continue where you left off: Share nothing between processes' })).toHaveAttribute('href', '/lessons/share-nothing/');
  await expect(stateOf(page, 2)).toHaveText('Not started');

  await page.goto('/lessons/share-nothing/');
  await page.getByRole('heading', { name: 'What comes next' }).scrollIntoViewIfNeeded();
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dojo-read'))).toContain('share-nothing');
  await page.goto('/');
  await expect(stateOf(page, 2)).toHaveText('Read');
  await expect(count(page)).toHaveText('0 of 15 solved');
});

test('changing a kata’s code marks it attempted, and the home page offers to continue on that kata', async ({ page }) => {
  await page.goto('/katas/visit-counter/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  const title = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('✓ Solved', '').trim();
  await page.evaluate(() => {
    const hook = (window as unknown as { dojoWorkbench: { files(): Record<string, string>; setFiles(f: Record<string, string>): void } }).dojoWorkbench;
    hook.setFiles({ ...hook.files(), 'app.ts': `// my first try\n${hook.files()['app.ts']}` });
  });
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dojo-attempted'))).toContain('visit-counter');
  await page.goto('/');
  await expect(stateOf(page, 1)).toHaveText('Attempted');
  await expect(page.getByRole('link', { name: `Continue where you left off: Kata: ${title}` })).toHaveAttribute('href', '/katas/visit-counter/');
});

test('code saved before the attempted mark existed still counts as an attempt', async ({ page }) => {
  await page.goto('/katas/notes/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  await page.evaluate(() => {
    const hook = (window as unknown as { dojoWorkbench: { files(): Record<string, string>; setFiles(f: Record<string, string>): void } }).dojoWorkbench;
    hook.setFiles({ ...hook.files(), 'app.ts': `// an older try\n${hook.files()['app.ts']}` });
  });
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dojo-attempted'))).toContain('notes');
  await expect.poll(() => savedCode(page, 'notes')).toMatch(/^\/\/ an older try/);
  // Forget the mark, as a browser that saved code before the mark existed would: the saved code alone shows it.
  await page.evaluate(() => localStorage.removeItem('dojo-attempted'));
  await page.goto('/');
  await expect(stateOf(page, 3)).toHaveText('Attempted');
});

test('corrupt marks in localStorage break nothing: the home page reads them as no progress', async ({ page }) => {
  const errors = pageErrors(page);
  await homeWithMarks(page, {
    'dojo-solved': '{"visit-counter": true',
    'dojo-attempted': '"sessions"',
    'dojo-read': 'null',
    'dojo-last-visit': JSON.stringify({ href: 'javascript:alert(1)', title: 'Click me' }),
  });
  await expect(count(page)).toHaveText('0 of 15 solved');
  await expect(page.getByRole('link', { name: /^Start with lesson 1/ })).toHaveAttribute('href', FIRST);
  await expect(stateOf(page, 1)).toHaveText('Not started');
  // …and a lesson page still marks and reads.
  await page.goto('/lessons/one-or-more-processes/');
  await page.getByRole('heading', { name: 'What comes next' }).scrollIntoViewIfNeeded();
  await expect.poll(() => page.evaluate(() => localStorage.getItem('dojo-read'))).toBe('["one-or-more-processes"]');
  expect(errors).toEqual([]);
});

test('a browser that blocks localStorage gets the whole home page and lessons, without errors', async ({ page }) => {
  const errors = pageErrors(page);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  await page.goto('/');
  await expect(count(page)).toHaveText('0 of 15 solved');
  await expect(page.getByRole('link', { name: /^Start with lesson 1/ })).toBeVisible();
  await page.goto('/lessons/share-nothing/');
  await page.getByRole('heading', { name: 'What comes next' }).scrollIntoViewIfNeeded();
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the home page shows the whole course map, the count and the way in', async ({ page }) => {
    await page.goto('/');
    await expect(count(page)).toHaveText('0 of 15 solved');
    await expect(page.getByRole('link', { name: /^Start with lesson 1/ })).toHaveAttribute('href', FIRST);
    await expect(page.locator('[data-progress-row]')).toHaveCount(16);
    await expect(stateOf(page, 1)).toHaveText('Not started');
    await expect(stateOf(page, 13)).toHaveText('Not started');
    // Every concept of the course has its lesson and kata: no row is 'Coming' any more.
    await expect(page.locator('[data-progress-row][data-state="coming"]')).toHaveCount(0);
    await expect(page.getByRole('list', { name: 'Course map' }).getByRole('link', { name: 'Any process can serve any request' })).toBeVisible();
  });

  test('a lesson ends with what comes next and why', async ({ page }) => {
    await page.goto('/lessons/sessions-in-a-store/');
    const next = page.getByRole('region', { name: 'What comes next' });
    await expect(next).toContainText('pinning each visitor to one process');
    await expect(next.getByRole('link', { name: /Next lesson/ })).toHaveAttribute('href', '/lessons/sticky-sessions/');
  });
});

test('every existing lesson says why its next lesson follows', async ({ page }) => {
  for (const [lesson, following] of [
    ['one-or-more-processes', 'share-nothing'],
    ['share-nothing', 'a-database'],
    ['a-database', 'sessions-in-a-store'],
    ['sessions-in-a-store', 'sticky-sessions'],
    ['sticky-sessions', 'uploads-to-object-storage'],
  ]) {
    await page.goto(`/lessons/${lesson}/`);
    const next = page.getByRole('region', { name: 'What comes next' });
    await expect(next.locator('.why'), lesson).not.toHaveText(/^The next lesson of the course/);
    await expect(next.getByRole('link', { name: /Next lesson/ })).toHaveAttribute('href', `/lessons/${following}/`);
  }
});

test('a solved kata offers the reference solution to compare with, and the next lesson', async ({ page }) => {
  await page.goto('/katas/sessions/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  const offer = page.getByRole('region', { name: 'You solved this kata: what now?' });
  await expect(offer).toBeHidden(); // not solved yet

  await page.evaluate(() => localStorage.setItem('dojo-solved', JSON.stringify(['sessions'])));
  await page.reload();
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('What comes next: With sessions in a store');
  await expect(offer.getByRole('link', { name: 'Next lesson: Sticky sessions are a violation' })).toHaveAttribute('href', '/lessons/sticky-sessions/');

  // Solved: the solution is there to compare with, without the "are you sure" a learner gets before solving.
  const compare = offer.getByRole('button', { name: 'Compare with the reference solution' });
  await compare.click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.locator('[data-solution-box] .monaco-diff-editor')).toBeVisible();
  await page.getByRole('button', { name: 'Hide solution' }).click();
  await expect(compare).toBeFocused();
  await page.getByRole('button', { name: 'Show solution' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.locator('[data-solution-box] .monaco-diff-editor')).toBeVisible();
});

test('the course works with the keyboard alone: continue from home, read to the end, go on', async ({ page }) => {
  await page.setViewportSize({ width: 1300, height: 900 });
  await page.goto('/');
  const start = page.getByRole('link', { name: /^Start with lesson 1/ });
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await start.evaluate((element) => element === document.activeElement);
  }
  expect(reached, 'Tab never reached the start link').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`${FIRST}$`));

  // Tabbing through the lesson brings its end into view, which marks it read; Enter follows the next-lesson link.
  const next = page.getByRole('link', { name: /Next lesson/ });
  reached = false;
  for (let i = 0; i < 150 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await next.evaluate((element) => element === document.activeElement);
  }
  expect(reached, 'Tab never reached the next-lesson link').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/share-nothing\/$/);
  // The lesson notes the visit from its module script, which runs before "load": leaving at once (the URL changes
  // before the script runs) lost the note on a busy machine.
  await page.waitForLoadState('load');
  await page.goto('/');
  await expect(stateOf(page, 1)).toHaveText('Read');
  await expect(page.getByRole('link', { name: 'Continue where you left off: Share nothing between processes' })).toBeVisible();

  // On a solved kata, the comparison opens from the keyboard too.
  await page.evaluate(() => localStorage.setItem('dojo-solved', JSON.stringify(['sessions'])));
  await page.goto('/katas/sessions/');
  await expect(page.locator('[data-workbench][data-ready=true]')).toBeVisible();
  const compare = page.getByRole('button', { name: 'Compare with the reference solution' });
  await compare.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Hide solution' })).toBeFocused();
});

for (const theme of ['light', 'dark'] as const) {
  test(`the home page with progress and a solved kata's offer have no serious axe violations (${theme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await homeWithMarks(page, {
      'dojo-solved': ['visit-counter'],
      'dojo-attempted': ['sessions'],
      'dojo-read': ['share-nothing'],
      'dojo-last-visit': { href: '/katas/sessions/', title: 'Kata: Login sessions' },
    });
    await expect(count(page)).toHaveText('1 of 15 solved');
    const axe = () => new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']).analyze();
    const serious = (violations: Awaited<ReturnType<typeof axe>>['violations']) => violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    expect(serious((await axe()).violations)).toEqual([]);

    await page.goto('/katas/visit-counter/');
    await expect(page.getByRole('region', { name: 'You solved this kata: what now?' })).toBeVisible();
    expect(serious((await axe()).violations)).toEqual([]);
  });
}
