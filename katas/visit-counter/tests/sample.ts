// Visible tests of the visit counter. The hidden tests run these too, and also check visits that
// arrive at the same moment and that GET /visits reports the count without adding a visit.
import { test, type TestContext, type TracedResponse } from 'dojo/testing';

/** The `visits` number of a response, or a clear failure when the answer isn't `{ visits: n }`. */
export function visitsIn(res: TracedResponse, fail: TestContext['fail']): number {
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
    for (let visit = 1; visit <= 9; visit++) {
      // The first six visits go wherever the balancer sends them; the last three are spread
      // over all three processes for sure.
      if (visit === 7) cluster.balance('round-robin');
      const res = await browser.get('/');
      const earlier = servedBy.length ? `; the visits before it were answered by ${servedBy.join(', ')}` : '';
      expect(visitsIn(res, fail), `visit ${visit} to the site was answered by ${res.servedBy}${earlier}`).toBe(visit);
      servedBy.push(res.servedBy);
    }
  }),

  test('the count survives restarts and deploys', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    for (let visit = 1; visit <= 3; visit++) {
      const res = await browser.get('/');
      expect(visitsIn(res, fail), `visit ${visit} was answered by ${res.servedBy}`).toBe(visit);
    }
    await cluster.restartAll();
    note('every process restarted');
    const afterRestart = await browser.get('/');
    expect(
      visitsIn(afterRestart, fail),
      `3 visits were counted, then every process restarted; ${afterRestart.servedBy} (generation ${afterRestart.generation}) answered the next visit`,
    ).toBe(4);
    await cluster.deploy();
    note('a new release was deployed');
    const afterDeploy = await browser.get('/visits');
    expect(
      visitsIn(afterDeploy, fail),
      `4 visits were counted, then a new release was deployed; ${afterDeploy.servedBy} (generation ${afterDeploy.generation}) answered GET /visits`,
    ).toBe(4);
  }),
];
