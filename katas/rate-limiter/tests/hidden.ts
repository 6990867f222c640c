// Hidden tests of the rate-limiter kata: the visible tests, then a limit per API key, requests
// that arrive at the same moment, restarts and deploys, counters that leave the store once their
// minute is over, processes killed at random, and processes killed between two steps of a request.
import { test } from 'dojo/testing';
import samples, { apiClient, LIMIT, SECOND, statuses } from './sample.ts';

export default [
  ...samples,

  test('each API key has a limit of its own', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    const ada = apiClient(client, 'key-ada');
    for (let i = 1; i <= LIMIT + 1; i++) await ada();
    const bob = apiClient(client, 'key-bob');
    for (let i = 1; i <= LIMIT; i++) {
      const res = await bob();
      expect(
        res.status,
        `key-ada used up its ${LIMIT} requests; then key-bob's request ${i} was answered by ${res.servedBy} with ${res.status}: one client's requests must not count against another's`,
      ).toBe(200);
    }
  }),

  test('requests that arrive at the same time are all counted', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    const get = apiClient(client, 'key-burst');
    // A script fires 12 requests at once: they are in flight together, on every process.
    const burst = await Promise.all(Array.from({ length: 12 }, () => get()));
    const allowed = burst.filter((res) => res.status === 200).length;
    expect(
      allowed,
      `12 requests with the same API key arrived at the same moment (${statuses(burst)}); ${allowed} were let through. ` +
        'Reading the count, adding one and writing it back are steps another process slips between: let the store add one, atomically',
    ).toBe(LIMIT);
  }),

  test('a restart or a deploy does not reset the limit', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 2 });
    const get = apiClient(client, 'key-cy');
    for (let i = 1; i <= 3; i++) await get();
    await cluster.restartAll();
    note('every process restarted');
    await get();
    await cluster.deploy();
    note('a new release was deployed');
    await get();
    const extra = await get();
    expect(
      extra.status,
      `the API key made 3 requests, every process restarted, it made 1 more, a new release was deployed, it made 1 more: that is ${LIMIT} this minute, and ${extra.servedBy} let the next one through. A restart wiped the counts`,
    ).toBe(429);
  }),

  test('counters leave the store once their minute is over', async ({ cluster, client, clock, services, fail, note }) => {
    await cluster.start({ web: 3 });
    for (const key of ['key-ada', 'key-bob', 'key-cy']) {
      const get = apiClient(client, key);
      for (let i = 1; i <= 3; i++) await get();
    }
    note('three clients make three requests each, then stop');
    await clock.advance(61 * SECOND);
    note('61 s pass');
    const left = await services.kv.keys('*');
    if (left.length > 0) {
      const ttl = await services.kv.ttl(left[0]!);
      fail(
        `three clients stopped 61 s ago; the store still holds ${left.length} key(s), such as ${left[0]} (${ttl === -1 ? 'no time-to-live' : `expires in ${ttl} s`}). ` +
          'Every API key that ever called would leave a counter behind for ever: give each counter a time-to-live, set when it is created',
      );
    }
  }),

  test('the limit holds while processes are killed at random', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    // Before each request, a seeded 50% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.5, kill: true });
    const get = apiClient(client, 'key-chaos');
    const answers = [];
    for (let i = 1; i <= LIMIT + 3; i++) answers.push(await get());
    const allowed = answers.filter((res) => res.status === 200).length;
    expect(allowed, `${LIMIT + 3} requests within a minute while processes were killed at random (${statuses(answers)}); ${allowed} were let through`).toBe(LIMIT);
  }),

  test('a process killed in the middle of a request leaves no counter that never expires', async ({ cluster, client, clock, services, fail, note }) => {
    await cluster.start({ web: 3 });
    // Every request's process is killed while it handles it, at a moment the seed picks: before one of its store
    // calls, or just before it answers. A counter made in one step and given its expiry in another can be left
    // without one.
    cluster.chaos({ midRequest: 1, kill: true });
    for (let i = 1; i <= 20; i++) await apiClient(client, `key-${i}`)();
    cluster.chaos(null);
    note('20 clients made one request each; every process that served one was killed during it');
    await clock.advance(61 * SECOND);
    const left = await services.kv.keys('*');
    if (left.length > 0) {
      fail(
        `61 s after 20 clients stopped, the store still holds ${left.length} counter(s) with no time-to-live, such as ${left[0]}: ` +
          'a process was killed after it created the counter and before it set its expiry. Create the counter and its expiry in one step (SET with NX and EX)',
      );
    }
  }),
];
