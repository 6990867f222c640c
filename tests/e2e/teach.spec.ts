// The instructors' side in a real Chromium: the teacher's guides (index and one per lesson) and the editor check.
import { readdirSync } from 'node:fs';
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Every lesson's slug, from lessons/: each must have a guide. */
const LESSONS = readdirSync(new URL('../../lessons/', import.meta.url)).filter((name) => name.endsWith('.mdx')).map((name) => name.slice(0, -'.mdx'.length));

/** Tabs until `target` has the focus; false if it never does. */
async function tabTo(page: Page, target: ReturnType<Page['locator']>, most = 150): Promise<boolean> {
  for (let i = 0; i < most; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return true;
  }
  return false;
}

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice']).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

test("the footer links to the teacher's guides and to the browser check", async ({ page }) => {
  await page.goto('/lessons/share-nothing/');
  const footer = page.getByRole('contentinfo');
  await expect(footer.getByRole('link', { name: "teacher's guides" })).toHaveAttribute('href', '/teach/');
  await expect(footer.getByRole('link', { name: "check the room's browsers" })).toHaveAttribute('href', '/engine-check/');
  await footer.getByRole('link', { name: "teacher's guides" }).click();
  await expect(page).toHaveURL(/\/teach\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Teacher's guides");
});

test('the guides index lists a guide per lesson, and links to the browser check and to grading', async ({ page }) => {
  await page.goto('/teach/');
  const list = page.locator('ol.guides');
  const hrefs = await list.locator('li > a:first-child').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  expect([...hrefs].sort()).toEqual(LESSONS.map((slug) => `/teach/${slug}/`).sort());
  // In course order: the first lesson of the course comes first.
  expect(hrefs[0]).toBe('/teach/one-or-more-processes/');
  await expect(page.getByRole('link', { name: 'Check this browser' })).toHaveAttribute('href', '/engine-check/');
  await expect(page.getByRole('heading', { name: 'Grading a class' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'grading a class' })).toHaveAttribute('href', '#grading');
  await expect(page.locator('#grading ~ pre')).toContainText('grade --class');
});

test('a guide page shows both session plans, its misconceptions and sections, and links back to its lesson and kata', async ({ page }) => {
  await page.goto('/teach/sessions-in-a-store/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/Teaching “Sessions/);
  for (const [caption, total] of [['45-minute session', 45], ['90-minute session', 90]] as const) {
    const table = page.getByRole('table', { name: caption });
    await expect(table).toBeVisible();
    const minutes = await table.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(minutes.reduce((sum, cell) => sum + Number(cell), 0), `${caption}: the minutes add up`).toBe(total);
  }
  await expect(page.getByRole('link', { name: 'Sessions live in a store, not in the process' })).toHaveAttribute('href', '/lessons/sessions-in-a-store/');
  await expect(page.getByRole('link', { name: 'Login sessions' })).toHaveAttribute('href', '/katas/sessions/');
  for (const section of ['Goals', 'Timing', 'Misconceptions learners bring', 'Discussion questions', 'Live demo', 'Grading: what to look for']) {
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeVisible();
  }
  // A misconception names the wrong variant that shows it, why it is wrong, and shows its code on demand.
  const variant = page.locator('.misconceptions li').filter({ hasText: 'logout-forgets-cookie-only' });
  await expect(variant).toContainText('fails the hidden test “logging out ends the session on every process”');
  const code = variant.locator('details pre');
  await expect(code).toBeHidden();
  await variant.locator('summary').click();
  await expect(code).toBeVisible();
  await expect(code).toContainText('export default');
});

test('the guides work with the keyboard alone: footer, index, guide, its code and its lesson', async ({ page }) => {
  await page.setViewportSize({ width: 1300, height: 900 });
  await page.goto('/');
  expect(await tabTo(page, page.getByRole('contentinfo').getByRole('link', { name: "teacher's guides" })), 'Tab never reached the footer link').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/teach\/$/);

  expect(await tabTo(page, page.getByRole('link', { name: 'Teaching “Any process can serve any request”' })), 'Tab never reached the first guide').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/teach\/one-or-more-processes\/$/);

  // A wrong variant's code opens from the keyboard.
  const summary = page.locator('.misconceptions summary').first();
  expect(await tabTo(page, summary), 'Tab never reached the first wrong variant').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.locator('.misconceptions details').first()).toHaveAttribute('open', '');

  await page.goto('/teach/one-or-more-processes/');
  expect(await tabTo(page, page.locator('[data-guide-lesson]')), 'Tab never reached the lesson link').toBe(true);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\/one-or-more-processes\/$/);
});

for (const theme of ['light', 'dark'] as const) {
  test(`the guides index and a guide with its code open have no serious axe violations (${theme} theme)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto('/teach/');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/teach/sticky-sessions/');
    for (const summary of await page.locator('.misconceptions summary').all()) await summary.click();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test("the guides stay out of the learner's search results", async ({ page }) => {
  await page.goto('/search/');
  // A word the guides' session plans use, and no lesson.
  await page.getByRole('searchbox', { name: /Search for a word/ }).fill('debrief');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toHaveText(/Nothing in the lessons or katas mentions/);
});

test('the browser check loads the code editor and says so, and links to the guides', async ({ page }) => {
  await page.goto('/engine-check/');
  await expect(page.getByRole('link', { name: "teacher's guides" }).first()).toHaveAttribute('href', '/teach/');
  await page.getByRole('button', { name: 'Check the editor' }).click();
  await expect(page.locator('[data-editor-status]')).toHaveText('The editor loaded: it shows code and takes edits in this browser.');
  await expect(page.locator('[data-editor-host]')).toHaveAttribute('data-ok', 'true');
  // The page's other checks are still there.
  await expect(page.getByRole('button', { name: 'Check every kata' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Check that processes are sealed' })).toBeEnabled();
});

test.describe('the presenter view', () => {
  const DECK = '/present/one-or-more-processes/';
  const visibleSlide = (page: Page) => page.locator('.slide:not([hidden])');

  test('moves with the arrow keys, Home and End, and its speaker notes window follows and steers it', async ({ page, context }) => {
    await page.goto('/teach/one-or-more-processes/');
    await page.locator('[data-guide-present]').click();
    await expect(page).toHaveURL(/\/present\/one-or-more-processes\/#1$/);
    await expect(visibleSlide(page).getByRole('heading', { level: 1 })).toHaveText('Any process can serve any request');
    await expect(page.locator('.slide:not([hidden])')).toHaveCount(1);

    await page.keyboard.press('ArrowRight');
    await expect(visibleSlide(page).getByRole('heading', { level: 2 })).toHaveText('What you will learn');
    await expect(page).toHaveURL(/#2$/);
    await expect(page.locator('[data-position]')).toHaveText(/^Slide 2 of \d+: What you will learn$/);

    // The notes window opens from the deck and shows where it is.
    const [notes] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Speaker notes' }).click()]);
    await expect(notes).toHaveURL(/\/present\/one-or-more-processes\/notes\/$/);
    await expect(notes.locator('[data-now]')).toHaveText(/^Now: slide 2 of \d+, What you will learn$/);
    await expect(notes.locator('[data-next]')).toHaveText('Next: The idea');
    await expect(notes.getByRole('heading', { level: 2, name: 'Live demo' })).toBeVisible();

    await page.bringToFront();
    await page.keyboard.press('ArrowRight');
    await expect(visibleSlide(page).getByRole('heading', { level: 2 })).toHaveText('The idea');
    await expect(notes.locator('[data-now]')).toHaveText(/^Now: slide 3 of \d+, The idea$/);

    // Keys pressed in the notes window move the deck.
    await notes.bringToFront();
    await notes.keyboard.press('ArrowLeft');
    await expect(page.locator('[data-position]')).toHaveText(/^Slide 2 of \d+: What you will learn$/);
    await expect(notes.locator('[data-now]')).toHaveText(/^Now: slide 2 of/);

    await page.bringToFront();
    await page.keyboard.press('End');
    await expect(visibleSlide(page).getByRole('heading', { level: 2 })).toHaveText('Practice');
    await expect(notes.locator('[data-next]')).toHaveText('This is the last slide.');
    await page.keyboard.press('Home');
    await expect(page).toHaveURL(/#1$/);
  });

  test('cuts long sections into one idea per screen, and leaves arrow keys to a self-check', async ({ page }) => {
    await page.goto(DECK);
    const count = Number(/of (\d+)/.exec((await page.locator('[data-position]').textContent())!)![1]);
    const titles: string[] = [];
    for (let i = 0; i < count; i++) {
      titles.push((await page.locator('[data-position]').textContent())!.replace(/^Slide \d+ of \d+: /, ''));
      await page.keyboard.press('ArrowRight');
    }
    // Each framework of "In your stack" and each self-check has a screen of its own.
    expect(titles).toEqual(expect.arrayContaining(['The idea', 'Violation and fix', 'In your stack', 'Django', 'Rails', 'WordPress']));
    expect(titles.filter((title) => title === 'Check yourself')).toHaveLength(3);

    await page.goto(`${DECK}#${titles.indexOf('Check yourself') + 1}`);
    const check = visibleSlide(page).locator('[data-self-check]');
    await expect(check).toHaveCount(1);
    await check.getByRole('radio').first().focus();
    await page.keyboard.press('ArrowRight'); // moves between the options, not the slides
    await expect(page.locator('[data-position]')).toHaveText(/: Check yourself$/);
    await expect(check.getByRole('radio').nth(1)).toBeChecked();
  });

  for (const theme of ['light', 'dark'] as const) {
    test(`the slides and the notes have no serious axe violations (${theme} theme)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: theme });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto('/present/sticky-sessions/');
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/present/sticky-sessions/#5'); // the violation and fix, side by side
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto('/present/sticky-sessions/notes/');
      expect(await seriousViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    });
  }
});
