// Hidden tests of the visit counter: the count must be right on any number of processes,
// across restarts and deploys, and when visits arrive at the same moment.
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

/** "web.1 ×3, web.2 ×2": who answered a batch of requests. */
function tally(responses: TracedResponse[]): string {
  const counts = new Map<string, number>();
  for (const res of responses) counts.set(res.servedBy, (counts.get(res.servedBy) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ×${n}`).join(', ');
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

  test('visits that arrive at the same time are all counted', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    // Four visitors, each opening five pages at once: 20 requests in flight together.
    const visitors = [client(), client(), client(), client()];
    const responses = await Promise.all(visitors.flatMap((visitor) => [1, 2, 3, 4, 5].map(() => visitor.get('/'))));
    const numbers = responses.map((res) => visitsIn(res, fail));

    const total = await client().get('/visits');
    expect(
      visitsIn(total, fail),
      `20 visits arrived at the same moment (answered by ${tally(responses)}), then ${total.servedBy} answered GET /visits`,
    ).toBe(20);

    const byNumber = new Map<number, string[]>();
    responses.forEach((res, i) => byNumber.set(numbers[i]!, [...(byNumber.get(numbers[i]!) ?? []), res.servedBy]));
    for (const [number, servers] of byNumber) {
      expect(
        servers.length,
        `visit number ${number} was handed out to ${servers.length} visits at once (answered by ${servers.join(', ')}); each visit should get a number of its own`,
      ).toBe(1);
    }
  }),

  test('GET /visits reports the count without adding a visit', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const before = await browser.get('/visits');
    expect(visitsIn(before, fail), `nobody had visited yet when ${before.servedBy} answered GET /visits`).toBe(0);
    await browser.get('/');
    await browser.get('/');
    cluster.balance('round-robin');
    for (let look = 1; look <= 4; look++) {
      const res = await browser.get('/visits');
      expect(visitsIn(res, fail), `after 2 visits, ${res.servedBy} answered GET /visits (look ${look} of 4)`).toBe(2);
    }
    const next = await browser.get('/');
    expect(
      visitsIn(next, fail),
      `after 2 visits and 4 looks at GET /visits, ${next.servedBy} answered the third visit`,
    ).toBe(3);
  }),
];
