// Hidden tests of the visit counter: the visible tests of sample.ts (the count must be right on
// any number of processes, across restarts and deploys), then the count must also be right when
// visits arrive at the same moment, and GET /visits must not add a visit.
import { test, type TracedResponse } from 'dojo/testing';
import samples, { visitsIn } from './sample.ts';

/** "web.1 ×3, web.2 ×2": who answered a batch of requests. */
function tally(responses: TracedResponse[]): string {
  const counts = new Map<string, number>();
  for (const res of responses) counts.set(res.servedBy, (counts.get(res.servedBy) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ×${n}`).join(', ');
}

export default [
  ...samples,

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

  test('no visit is lost while processes are killed at random', async ({ cluster, client, fail, expect }) => {
    await cluster.start({ web: 3 });
    // Before each request, a seeded 40% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.4, kill: true });
    const browser = client();
    for (let visit = 1; visit <= 8; visit++) {
      const res = await browser.get('/');
      expect(
        visitsIn(res, fail),
        `visit ${visit} was answered by ${res.servedBy} (generation ${res.generation}) while processes were being killed at random`,
      ).toBe(visit);
    }
  }),
];
