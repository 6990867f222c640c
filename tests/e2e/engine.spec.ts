// The browser host in real Chromium: every kata's checks pass offline and give the Node host's verdict per test.
import { test, expect } from '@playwright/test';
import { NodeHost } from '../../src/engine/hosts/node/host.ts';
import { listKatas, loadKata } from '../../src/engine/kata/load-node.ts';
import { verifyKata } from '../../src/engine/kata/verify.ts';
import type { EngineCheck } from '../../src/engine/hosts/engine.ts';

const SEED = 1;

test('every kata verifies in the browser host with the same verdict per test as the Node host', async ({ page }) => {
  test.setTimeout(180_000);
  const host = new NodeHost();
  const nodeVerdicts: Record<string, Record<string, Record<string, string>>> = {};
  try {
    for (const slug of await listKatas()) {
      const checks = await verifyKata(await loadKata(slug), host, SEED);
      nodeVerdicts[slug] = Object.fromEntries(checks.map((check) => [
        check.subject,
        Object.fromEntries(check.report.results.map((result) => [result.name, result.status])),
      ]));
    }
  } finally {
    await host.dispose();
  }

  await page.goto('/engine-check/');
  await page.getByRole('button', { name: 'Check every kata' }).click();
  await expect(page.getByRole('status')).toHaveText(/All checks passed|check\(s\) failed/, { timeout: 150_000 });
  const failed = await page.locator('[data-check-list] li[data-ok="false"]').allTextContents();
  expect(failed, 'checks that failed in the browser host').toEqual([]);
  await expect(page.getByRole('status')).toHaveText(/All checks passed/);

  const browserChecks = await page.evaluate(() => (window as unknown as { dojoChecks: Record<string, EngineCheck[]> }).dojoChecks);
  expect(Object.keys(browserChecks).sort()).toEqual(Object.keys(nodeVerdicts).sort());
  for (const [slug, checks] of Object.entries(browserChecks)) {
    for (const check of checks) {
      expect(check.statuses, `${slug} ${check.subject}: browser verdicts differ from Node's`).toEqual(nodeVerdicts[slug]![check.subject]);
    }
  }
});
