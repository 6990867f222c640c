// Hidden tests of the orders kata: the visible tests, then attempts with the same key at the same moment,
// processes killed in the middle of requests (at random, and at each step in turn), a deploy with orders in
// flight, what the app leaves in the key-value store after a day, and two real orders for the same thing.
import { test } from 'dojo/testing';
import samples, { bodyOf, expectOnce, ledger, placeOrder, said, SECOND } from './sample.ts';

const HOUR = 3600 * SECOND;
/** Orders placed under mid-request kills: each one is another chance for a kill to land in a gap of the handler. */
const ORDERS = 15;
/** Kills at call 1, 2, … of an order's handling: more steps than any sensible handler makes, so the last is a kill before the answer. */
const STEPS = 8;

export default [
  ...samples,

  test('attempts with the same key at the same moment make one charge and one order', async ({ cluster, client, services, expect, note }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const order = { customer: 'cy', item: 'matcha', cents: 620 };
    // A double-click, and a client library retrying a slow request: three attempts in flight together.
    const attempts = await Promise.all([1, 2, 3].map(() => browser.post('/orders', { json: order, idempotencyKey: 'order-cy-1' })));
    note(`three attempts with the same key at once: ${attempts.map((res) => `${res.servedBy} ${res.status}`).join(', ')}`);
    const placed = attempts.filter((res) => res.status === 201);
    for (const res of attempts) {
      expect(res.status, `one of three attempts with the same key at the same moment: ${said(res)} (201, or 409 while another attempt holds the key)`).toBeOneOf([201, 409]);
    }
    expect(placed.length > 0, `three attempts with the same key at the same moment were all refused: ${attempts.map(said).join('; ')}`).toBe(true);
    for (const res of placed) {
      expect(
        bodyOf(res)?.order?.id,
        `three attempts with the same key at the same moment were answered with different orders (${placed.map(said).join('; ')}): ` +
          'checking for the key and then storing it are two steps another attempt slips between. Claim the key in one atomic step (SET with NX, a unique column)',
      ).toBe(bodyOf(placed[0]!)?.order?.id);
    }
    await expectOnce(services, expect, 'cy', 'three attempts of one order, with the same key, arrived at the same moment');
  }),

  test('every order is charged and recorded exactly once while processes die mid-request', async ({ cluster, client, clock, services, expect, note }) => {
    await cluster.start({ web: 2 });
    // Half the attempts: the process handling it is killed at a moment the seed picks, before one of its calls
    // to a backing service (the provider's charge, the database) or just before its answer leaves.
    cluster.chaos({ midRequest: 0.5, kill: true });
    const browser = client();
    const orderOf = (i: number) => ({ customer: `customer-${i}`, item: 'green tea', cents: 400 + i });
    const answers = [];
    for (let i = 1; i <= ORDERS; i++) {
      // The client sends an attempt that died with its process again, with the same key, up to 20 times.
      answers.push(await browser.post('/orders', { json: orderOf(i), idempotencyKey: `order-${i}`, retry: 20 }));
    }
    cluster.chaos(null);
    note(`${ORDERS} customers ordered once each; the client sent each attempt that died again, with the same key`);
    const later = answers.flatMap((res, i) => (res.status === 409 ? [i] : []));
    if (later.length > 0) {
      note(`${later.length} order(s) were answered 409 (being handled): the client tries them again later`);
      for (const i of later) answers[i] = await placeOrder(browser, clock, orderOf(i + 1), `order-${i + 1}`);
    }
    for (const [i, res] of answers.entries()) {
      expect(res.status, `customer-${i + 1}'s order, while processes were killed mid-request: ${said(res)}`).toBe(201);
    }
    const { charges } = await ledger(services);
    for (let i = 1; i <= ORDERS; i++) {
      await expectOnce(
        services,
        expect,
        `customer-${i}`,
        `${ORDERS} orders were placed while processes were killed in the middle of requests (${[...charges.values()].flat().length} charges made in all)`,
      );
    }
  }),

  test('an order killed at any one of its steps, then sent again, is charged and recorded once', async ({ cluster, client, clock, services, expect, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    // The random kills above land where the seed says; this walks every step in turn, so no gap is left to luck.
    for (let step = 1; step <= STEPS; step++) {
      const order = { customer: `step-${step}`, item: 'sencha', cents: 300 + step };
      const key = `order-step-${step}`;
      cluster.chaos({ midRequest: 1, kill: true, atCall: step });
      const died = await browser.post('/orders', { json: order, idempotencyKey: key });
      cluster.chaos(null);
      note(`customer step-${step}'s first attempt: ${died.servedBy} was killed before its call #${step} to a backing service (or before answering, if it makes fewer), and answered ${died.status}`);
      const res = await placeOrder(browser, clock, order, key);
      expect(res.status, `step-${step}'s order, sent again after its first attempt died before call #${step}: ${said(res)}`).toBe(201);
      await expectOnce(services, expect, `step-${step}`, `the first attempt of an order died just before its call #${step} to a backing service, and the client sent it again with the same key`);
    }
  }),

  test('a deploy with orders in flight loses none', async ({ cluster, client, services, expect, note }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const customers = ['dee', 'eli', 'fay', 'gus', 'hal', 'ivy'];
    // No retries here: a graceful stop lets the requests in flight finish, so none should need one.
    const orders = customers.map((customer, i) => browser.post('/orders', { json: { customer, item: 'matcha', cents: 600 + i }, idempotencyKey: `order-${customer}` }));
    const deployed = cluster.deploy();
    const answers = await Promise.all(orders);
    await deployed;
    note('six orders were in flight when a new release was deployed (a rolling restart of every process)');
    for (const [i, res] of answers.entries()) {
      expect(res.status, `${customers[i]}'s order, in flight during a deploy: ${said(res)}`).toBe(201);
    }
    for (const customer of customers) {
      await expectOnce(
        services,
        expect,
        customer,
        'six orders were answered 201 while a deploy restarted every process. ' +
          'An order is placed when the answer says so: anything left for later in the process (a buffer, a timer) dies with it',
      );
    }
  }),

  test('two orders with different keys are two orders, even for the same thing', async ({ cluster, client, clock, services, expect }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const order = { customer: 'jo', item: 'lemon cake', cents: 380 };
    const first = await placeOrder(browser, clock, order, 'order-jo-1');
    const second = await placeOrder(browser, clock, order, 'order-jo-2');
    expect(`${first.status} ${second.status}`, `jo ordered lemon cake twice, with two keys: ${said(first)}; ${said(second)}`).toBe('201 201');
    const { charges, orders } = await ledger(services);
    expect(
      `${charges.get('jo')?.length ?? 0} charges, ${orders.get('jo')?.length ?? 0} orders`,
      'jo ordered lemon cake twice, each time with a new Idempotency-Key: two real orders. ' +
        'The key says which attempts are the same order; two orders that look alike are still two',
    ).toBe('2 charges, 2 orders');
  }),

  test('what the app keeps for idempotency leaves the key-value store after 24 hours', async ({ cluster, client, clock, services, note, fail }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    for (const customer of ['kai', 'lee', 'max']) {
      await placeOrder(browser, clock, { customer, item: 'green tea', cents: 450 }, `order-${customer}`);
    }
    await placeOrder(browser, clock, { customer: 'kai', item: 'green tea', cents: 450 }, 'order-kai'); // a repeat
    await clock.advance(24 * HOUR + 60 * SECOND);
    note('a day and a minute pass');
    const left = (await services.kv.keys('*')).filter((key) => !key.startsWith('payments:'));
    if (left.length > 0) {
      const ttl = await services.kv.ttl(left[0]!);
      fail(
        `a day after the last order, the key-value store still holds ${left.length} key(s) of the app, such as ${left[0]} (${ttl === -1 ? 'no time-to-live' : `expires in ${ttl} s`}). ` +
          'A client retries within minutes, and Stripe forgets a key after 24 hours: give what you keep per key a time-to-live, or every order ever placed leaves a key behind',
      );
    }
  }),
];
