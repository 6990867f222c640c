// Visible tests of the visit counter. The hidden tests also check concurrent visits and GET /visits.
import { test } from '../../../src/engine/testing/index.ts';
import type { TestContext, TracedResponse } from '../../../src/engine/testing/types.ts';

/** The `visits` number of a response, or a clear failure when the answer isn't `{ visits: n }`. */
function visitsIn(res: TracedResponse, fail: TestContext['fail']): number {
  let body: unknown;
  try {
    body = res.json();
  } catch {
    fail(`${res.servedBy} answered ${res.status} with "${res.text().slice(0, 80)}", not JSON like { "visits": 3 }`);
  }
  const visits = (body as { visits?: unknown } | null)?.visits;
  if (res.status !== 200 || typeof visits !== 'number') {
    fail(`${res.servedBy} answered ${res.status} with ${res.text().slice(0, 80)}, expected 200 and JSON like { "visits": 3 }`);
  }
  return visits;
}

export default [
  test('every visit is counted, whichever process answers', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const servedBy: string[] = [];
    for (let visit = 1; visit <= 6; visit++) {
      if (visit === 4) cluster.balance('round-robin'); // make sure all three processes answer
      const res = await browser.get('/');
      const earlier = servedBy.length ? `; the visits before it were answered by ${servedBy.join(', ')}` : '';
      expect(visitsIn(res, fail), `visit ${visit} to the site was answered by ${res.servedBy}${earlier}`).toBe(visit);
      servedBy.push(res.servedBy);
    }
  }),

  test('the count survives restarts and deploys', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    for (let visit = 1; visit <= 3; visit++) await browser.get('/');
    await cluster.restartAll();
    note('every process restarted');
    const res = await browser.get('/');
    expect(
      visitsIn(res, fail),
      `3 visits were counted, then every process restarted; ${res.servedBy} (generation ${res.generation}) answered the next visit`,
    ).toBe(4);
  }),
];
