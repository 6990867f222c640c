// Visible tests of the price-cache kata: every process answers the database's prices, and a price
// changed on one process reaches every process within 5 seconds. The hidden tests run these too,
// then change prices straight in the database, add items no cache has seen, empty every cache,
// send twenty requests at once and count the database queries, and kill processes at random.
import { test, type Client, type Cluster, type TracedResponse } from 'dojo/testing';

export const SECOND = 1000;
/** How stale a price may be: the brief promises every process answers an edit this long after it. */
export const STALENESS_MS = 5 * SECOND;
/** The shop's first prices, in cents (the app's start-up puts them in the database). */
export const FIRST_PRICES: Record<string, number> = { 'green-tea': 450, 'lemon-cake': 380, matcha: 620 };

/** The body of a response as JSON, or null when it isn't JSON. */
export function bodyOf(res: TracedResponse): any {
  try {
    return res.json();
  } catch {
    return null;
  }
}

/** "web.2 answered 450 cents" or "web.2 answered 500: <body>" */
export function said(res: TracedResponse): string {
  const cents = bodyOf(res)?.cents;
  return res.status === 200 && typeof cents === 'number' ? `${res.servedBy} answered ${cents}` : `${res.servedBy} answered ${res.status}: ${res.text().slice(0, 80)}`;
}

/**
 * Asks for an item's price once on every live process (the balancer must be round-robin): as many requests as
 * there are processes, so each one answers one of them.
 */
export async function askEveryProcess(cluster: Cluster, browser: Client, item: string): Promise<TracedResponse[]> {
  const answers: TracedResponse[] = [];
  for (let i = 0; i < cluster.processes('web').length; i++) answers.push(await browser.get(`/prices/${item}`, { retry: 3 }));
  return answers;
}

/** Changes a price through the app: PUT /prices/<item> { cents }. */
export function setPrice(browser: Client, item: string, cents: number): Promise<TracedResponse> {
  return browser.put(`/prices/${item}`, { json: { cents }, retry: 3 });
}

export default [
  test('every process answers the prices in the database', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    for (const [item, cents] of Object.entries(FIRST_PRICES)) {
      for (const res of await askEveryProcess(cluster, browser, item)) {
        expect(res.status, `GET /prices/${item}: ${said(res)}`).toBe(200);
        expect(bodyOf(res)?.cents, `GET /prices/${item}: ${said(res)}; the database says ${cents}`).toBe(cents);
      }
    }
  }),

  test('a price changed on one process is seen by every process within 5 seconds', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    await askEveryProcess(cluster, browser, 'green-tea'); // every process has now answered it once
    const edit = await setPrice(browser, 'green-tea', 500);
    expect(edit.status, `PUT /prices/green-tea: ${said(edit)}`).toBe(200);
    note(`the price of green tea was changed to 500 on ${edit.servedBy}`);
    await clock.advance(STALENESS_MS);
    note('5 s later, every process is asked for it');
    for (const res of await askEveryProcess(cluster, browser, 'green-tea')) {
      expect(
        bodyOf(res)?.cents,
        `5 s after green tea was changed from 450 to 500 on ${edit.servedBy}, ${said(res)}. ` +
          `${edit.servedBy} only updated its own copy: every other process kept answering from a cache nobody told about the change. ` +
          'A cached price is a hint: let each copy expire within the staleness the shop accepts, or keep one copy that every process shares',
      ).toBe(500);
    }
  }),
];
