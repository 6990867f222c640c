// The browser host in real Chromium: every kata's checks pass offline and give the Node host's verdict per test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { NodeHost } from '../../src/engine/hosts/node/host.ts';
import { loadKata } from '../../src/engine/kata/load-node.ts';
import { verifyKata } from '../../src/engine/kata/verify.ts';
import type { EngineCheck, RunRequest } from '../../src/engine/hosts/engine.ts';
import type { RunReport } from '../../src/engine/testing/runner.ts';
import { PROBES, type ProbeOutcome } from '../../src/engine/testing/seal-check.ts';
import { runAssetsCheck, type AssetsCheck } from '../../src/engine/testing/assets-check.ts';
import { runStreamCheck, type StreamCheckOutcome } from '../../src/engine/testing/stream-check.ts';

const SEED = 1;
const KATAS = join(import.meta.dirname, '../../katas');

// One test per kata: the time of each stays that of one kata, however many katas the course grows to.
const SLUGS = readdirSync(KATAS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(KATAS, entry.name, 'kata.json')))
  .map((entry) => entry.name)
  .sort();

for (const slug of SLUGS) {
  test(`the browser host verifies the kata ${slug} with the Node host's verdict in every test`, async ({ page }) => {
    test.setTimeout(900_000); // a last resort for a hang, not a measure of speed: the capstone verifies for minutes on a busy machine
    const host = new NodeHost();
    let nodeVerdicts: Record<string, Record<string, string>>;
    try {
      const checks = await verifyKata(await loadKata(slug), host, SEED);
      nodeVerdicts = Object.fromEntries(checks.map((check) => [
        check.subject,
        Object.fromEntries(check.report.results.map((result) => [result.name, result.status])),
      ]));
    } finally {
      await host.dispose();
    }

    await page.goto('/engine-check/');
    const checks = await page.evaluate(
      (name) => (window as unknown as { dojoEngine: { verify(slug: string): Promise<EngineCheck[]> } }).dojoEngine.verify(name),
      slug,
    );
    expect(checks.filter((check) => !check.ok).map((check) => `${check.subject}: ${check.detail}`), 'checks that failed in the browser host').toEqual([]);
    expect(checks.map((check) => check.subject).sort()).toEqual(Object.keys(nodeVerdicts).sort());
    for (const check of checks) {
      expect(check.statuses, `${check.subject}: browser verdicts differ from Node's`).toEqual(nodeVerdicts[check.subject]);
    }
  });
}

test('a process reading a request body in the browser keeps the clock still, though it has a timer pending', async ({ page }) => {
  test.setTimeout(300_000);
  // In a browser a body read ends in a later task: the process looked idle meanwhile, and the clock jumped to its timer.
  const solution = readFileSync(join(KATAS, 'checkout/solution/app.ts'), 'utf8');
  const withTimer = solution.replace('export default {', 'export default {\n  start() { setInterval(() => undefined, 3_600_000); },');
  expect(withTimer).not.toBe(solution);
  await page.goto('/engine-check/');
  const report = await page.evaluate(
    ({ files, seed }) => (window as unknown as { dojoEngine: { run(request: RunRequest): Promise<RunReport> } }).dojoEngine.run({ slug: 'checkout', files, seed, suite: 'hidden' }),
    { files: { 'app.ts': withTimer }, seed: SEED },
  );
  expect(report.results.map((result) => `${result.name}: ${result.status} ${result.message}`).filter((line) => !line.includes(': pass'))).toEqual([]);
  const jumps = report.results.flatMap((result) => result.events.filter((event) => event.kind === 'clock' && event.waitedFor).map((event) => `${result.name}: ${JSON.stringify(event)}`));
  expect(jumps, 'the clock moved by itself while a process read a body').toEqual([]);
});

test('the browser host serves a release\'s public files as the Node host does, trace included', async ({ page }) => {
  test.setTimeout(300_000); // a last resort for a very busy machine
  const host = new NodeHost();
  let node: AssetsCheck;
  try {
    node = await runAssetsCheck(host);
  } finally {
    await host.dispose();
  }
  expect(node.status, node.message).toBe('pass');
  await page.goto('/engine-check/');
  const browser = await page.evaluate(() => (window as unknown as { dojoEngine: { assetsCheck(): Promise<AssetsCheck> } }).dojoEngine.assetsCheck());
  expect(browser.status, browser.message).toBe('pass');
  expect(browser.observed).toEqual(node.observed);
  expect(browser.trace).toEqual(node.trace);
});

test('the engine check page checks every kata in this browser and says so', async ({ page }) => {
  // Last resorts per kata, not for the whole page: the course grows, and a busy machine takes minutes per kata.
  test.setTimeout(300_000 * (SLUGS.length + 1));
  await page.goto('/engine-check/');
  const button = page.getByRole('button', { name: 'Check every kata' });
  expect((await button.getAttribute('data-slugs'))?.split(',').sort()).toEqual(SLUGS);
  await button.click();
  const status = page.locator('[data-check-status]');
  for (const slug of SLUGS) {
    await expect(page.locator('[data-check-list] li', { hasText: `${slug}:` }).first()).toBeVisible({ timeout: 280_000 });
  }
  await expect(status).toHaveText(/All checks passed|check\(s\) failed/, { timeout: 280_000 });
  expect(await page.locator('[data-check-list] li[data-ok="false"]').allTextContents()).toEqual([]);
  await expect(page.locator('[data-check-list] li')).not.toHaveCount(0);
});

test.describe('a process in the browser host is sealed', () => {
  let outcomes: ProbeOutcome[] = [];
  test.beforeAll(async ({ browser }) => {
    const page = await browser.newPage();
    await page.goto('/engine-check/');
    await page.getByRole('button', { name: 'Check that processes are sealed' }).click();
    await expect(page.locator('[data-seal-status]')).toHaveText(/Sealed|open in this browser|could not run/, { timeout: 180_000 });
    outcomes = await page.evaluate(() => (window as unknown as { dojoSeal: ProbeOutcome[] }).dojoSeal);
    await page.close();
  });

  for (const probe of PROBES) {
    test(`${probe.name}: refused`, () => {
      const outcome = outcomes.find((candidate) => candidate.name === probe.name);
      expect(outcome, 'the seal check ran this probe').toBeDefined();
      expect(outcome!.sealed, outcome!.detail).toBe(true);
      if (probe.expectCode) expect(outcome!.errorCode, outcome!.detail).toBe(probe.expectCode);
    });
  }
});

test('long-lived responses (server-sent events) work in the browser host as in Node: same verdicts, same streams', async ({ page }) => {
  test.setTimeout(300_000);
  const host = new NodeHost();
  let node: StreamCheckOutcome[];
  try {
    node = await runStreamCheck(host);
  } finally {
    await host.dispose();
  }
  expect(node.filter((outcome) => outcome.status !== 'pass'), 'the stream check fails in Node').toEqual([]);
  await page.goto('/engine-check/');
  const browser = await page.evaluate(
    () => (window as unknown as { dojoEngine: { streamCheck(): Promise<StreamCheckOutcome[]> } }).dojoEngine.streamCheck(),
  );
  expect(browser).toEqual(node);
});
