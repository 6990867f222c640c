// Hidden tests of the price-cache kata: the visible tests, then prices changed straight in the
// database, items no cache has seen, processes (and the key-value store) that have lost every
// cache, twenty requests at once counted in database queries, and processes killed at random.
import { test, type StampedEvent } from 'dojo/testing';
import samples, { askEveryProcess, bodyOf, FIRST_PRICES, said, setPrice, STALENESS_MS } from './sample.ts';

/** The database calls each process made after trace event `afterSeq`, by process name. */
function dbCallsByProcess(events: readonly StampedEvent[], afterSeq: number): Map<string, number> {
  const calls = new Map<string, number>();
  for (const event of events) {
    if (event.seq <= afterSeq || event.kind !== 'call' || event.service !== 'db') continue;
    calls.set(event.process, (calls.get(event.process) ?? 0) + 1);
  }
  return calls;
}

export default [
  ...samples,

  test('a price changed straight in the database is seen by every process within 5 seconds', async ({ cluster, client, clock, services, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    await askEveryProcess(cluster, browser, 'lemon-cake');
    // The buyers' tool writes prices into the database itself: no process of this app hears of it.
    await services.db.query('update prices set cents = 420 where item = $1', ['lemon-cake']);
    note("the buyers' tool changed lemon cake from 380 to 420, straight in the database");
    await clock.advance(STALENESS_MS);
    for (const res of await askEveryProcess(cluster, browser, 'lemon-cake')) {
      expect(
        bodyOf(res)?.cents,
        `5 s after lemon cake was changed from 380 to 420 in the database, ${said(res)}. ` +
          'Only the database knows every change: a cache that waits to be told (by a PUT, a message) misses the changes nobody announces. ' +
          'Give every cached price an expiry no longer than the staleness the shop accepts',
      ).toBe(420);
    }
  }),

  test('a price the cache has never seen is answered from the database', async ({ cluster, client, services, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    await askEveryProcess(cluster, browser, 'green-tea');
    await services.db.query('insert into prices (item, cents) values ($1, $2)', ['yuzu-soda', 300]);
    note("the buyers' tool added yuzu soda at 300, straight in the database");
    for (const res of await askEveryProcess(cluster, browser, 'yuzu-soda')) {
      expect(
        `${res.status} ${bodyOf(res)?.cents}`,
        `yuzu soda is in the database at 300, and ${said(res)}. ` +
          'A cache that does not have an item knows nothing about it: a miss means "ask the database", never "there is no such price"',
      ).toBe('200 300');
    }
  }),

  test('a process with an empty cache answers, even after the cache server lost everything', async ({ cluster, client, services, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    for (const item of Object.keys(FIRST_PRICES)) await askEveryProcess(cluster, browser, item);
    await cluster.kill('web.2');
    note('web.2 was killed; the platform started it again, with empty memory');
    // A cache server is a cache too: it restarts, and evicts keys when memory runs short.
    for (const key of await services.kv.keys('*')) await services.kv.del(key);
    note('the key-value store lost every key it held (a restart of the cache server, or keys evicted for memory)');
    for (const [item, cents] of Object.entries(FIRST_PRICES)) {
      for (const res of await askEveryProcess(cluster, browser, item)) {
        expect(
          `${res.status} ${bodyOf(res)?.cents}`,
          `after a restart of web.2 and the loss of everything in the key-value store, GET /prices/${item}: ${said(res)}; the database says ${cents}. ` +
            'Never assume a cache is still there, in memory or in a store: on a miss, read the source of truth',
        ).toBe(`200 ${cents}`);
      }
    }
  }),

  test('a burst of requests for one price costs each process at most one database query', async ({ cluster, client, services, trace, expect, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    // A new item no process has cached (or loaded at start-up): every cache misses. No clock moves, so no timer
    // of the app's runs meanwhile and every query counted below is one the burst caused.
    await services.db.query('insert into prices (item, cents) values ($1, $2)', ['hojicha', 540]);
    note("the buyers' tool added hojicha at 540, straight in the database");
    const mark = trace.events.length;
    // A sale starts: twenty shoppers look at hojicha's price at the same moment.
    const burst = await Promise.all(Array.from({ length: 20 }, () => browser.get('/prices/hojicha')));
    for (const res of burst) expect(`${res.status} ${bodyOf(res)?.cents}`, `GET /prices/hojicha during the burst: ${said(res)}`).toBe('200 540');
    const atOnce = dbCallsByProcess(trace.events, trace.events[mark - 1]?.seq ?? 0);
    const served = new Map<string, number>();
    for (const res of burst) served.set(res.servedBy, (served.get(res.servedBy) ?? 0) + 1);
    for (const [process, requests] of served) {
      expect(
        atOnce.get(process) ?? 0,
        `${process} got ${requests} of the 20 requests for hojicha at the same moment and sent ${atOnce.get(process) ?? 0} queries to the database. ` +
          'When a cached price is missing or expired, every request that misses at once goes to the database (a cache stampede): ' +
          'let the requests that miss together wait for the one query already under way',
      ).toBeLessThan(2);
    }
    // The same second, ten more shoppers, one after another: the price read for the burst is fresh enough for them.
    const after: string[] = [];
    for (let i = 0; i < 10; i++) after.push((await browser.get('/prices/hojicha')).servedBy);
    const inAll = dbCallsByProcess(trace.events, trace.events[mark - 1]?.seq ?? 0);
    for (const process of new Set([...served.keys(), ...after])) {
      expect(
        inAll.get(process) ?? 0,
        `within the same second, 30 requests for hojicha (20 at once, then 10 one after another) made ${process} send ${inAll.get(process) ?? 0} queries to the database. ` +
          'The shop accepts prices 5 seconds old: a price read a moment ago is a good enough answer, keep it (for at most 5 s)',
      ).toBeLessThan(2);
    }
  }),

  test('prices stay right while processes are killed at random', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    // Before each request, a seeded 40% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.4, kill: true });
    const browser = client();
    for (const [round, cents] of [510, 530, 470].entries()) {
      await askEveryProcess(cluster, browser, 'matcha');
      const edit = await setPrice(browser, 'matcha', cents);
      expect(edit.status, `PUT /prices/matcha: ${said(edit)}`).toBe(200);
      note(`round ${round + 1}: matcha changed to ${cents} on ${edit.servedBy}`);
      await clock.advance(STALENESS_MS);
      for (const res of await askEveryProcess(cluster, browser, 'matcha')) {
        expect(bodyOf(res)?.cents, `5 s after matcha was changed to ${cents} on ${edit.servedBy}, while processes were killed at random, ${said(res)}`).toBe(cents);
      }
    }
  }),
];
