// Hidden tests of the checkout kata: the visible tests, then what sticky routing cannot survive
// (the process a shopper is stuck to restarting or being scaled away), two shoppers at once, an
// order placed only once, an abandoned checkout that is forgotten, and processes killed at random.
import { test } from 'dojo/testing';
import samples, { ADA, bodyOf, checkOut, MINUTE } from './sample.ts';

export default [
  ...samples,

  test('a checkout survives a restart of the process it was stuck to', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('sticky');
    await checkOut(client(), expect, ADA, async (step, res) => {
      if (step !== 'address') return;
      await cluster.restart(res.servedBy);
      note(`${res.servedBy}, the process this shopper is stuck to, restarts (a deploy, a crash, the daily cycle)`);
      return `${res.servedBy}, the process the sticky balancer sends this shopper to, restarted`;
    });
  }),

  test('a checkout survives its process being scaled away', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('sticky');
    const browser = client();
    browser.setCookie('dojo_lb', 'web.3'); // the balancer has pinned this shopper to web.3
    await checkOut(browser, expect, ADA, async (step) => {
      if (step !== 'cart') return;
      await cluster.scale({ web: 2 });
      note('traffic drops and the platform scales down to two processes: web.3 stops');
      return 'the platform scaled down and web.3, the process this shopper was stuck to, stopped';
    });
  }),

  test('two shoppers check out at the same time without mixing their carts', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    const ada = client();
    const bob = client();
    const BOB = { items: ['coffee beans'], address: '9 Other Street', payment: 'invoice' };
    const steps = async (browser: typeof ada, shopper: typeof ADA) => {
      await browser.post('/checkout/cart', { json: { items: shopper.items } });
      await browser.post('/checkout/address', { json: { address: shopper.address } });
      await browser.post('/checkout/payment', { json: { method: shopper.payment } });
    };
    await Promise.all([steps(ada, ADA), steps(bob, BOB)]);
    const [adaOrder, bobOrder] = await Promise.all([ada.post('/checkout/confirm'), bob.post('/checkout/confirm')]);
    for (const [who, res, shopper] of [['ada', adaOrder, ADA], ['bob', bobOrder, BOB]] as const) {
      if (res.status !== 200) fail(`ada and bob checked out at the same time; ${res.servedBy} answered ${who}'s confirm step with ${res.status}: ${res.text().slice(0, 100)}`);
      expect(
        bodyOf(res)?.order,
        `ada and bob checked out at the same time; ${res.servedBy} confirmed ${who}'s order with someone else's details: each shopper's checkout must be kept apart, under the id in their own cookie`,
      ).toEqual({ items: shopper.items, address: shopper.address, payment: shopper.payment });
    }
  }),

  test('the order is placed once, even when confirm is clicked twice', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    await browser.post('/checkout/cart', { json: { items: ADA.items } });
    await browser.post('/checkout/address', { json: { address: ADA.address } });
    const payment = await browser.post('/checkout/payment', { json: { method: ADA.payment } });
    if (payment.status !== 200) fail(`${payment.servedBy} answered the payment step with ${payment.status}: ${payment.text().slice(0, 100)}`);
    note('the shopper double-clicks "Place order": two confirms leave at once, with the same cookie');
    const clicks = await Promise.all([browser.post('/checkout/confirm'), browser.post('/checkout/confirm')]);
    const placed = clicks.filter((res) => res.status === 200);
    expect(
      placed.length,
      `a double click sent two confirms at once; ${clicks.map((res) => `${res.servedBy} answered ${res.status}`).join(' and ')}. ` +
        'Exactly one order must be placed: the checkout has to end, for every process, as the order is placed, in one step that only one request can win',
    ).toBe(1);
    const again = await browser.post('/checkout/confirm');
    expect(
      again.status,
      `the order was already placed; confirming again on ${again.servedBy} answered ${again.status} (${again.text().slice(0, 80)}): a confirmed checkout must be gone for every process`,
    ).toBe(409);
  }),

  test('an abandoned checkout is forgotten after 30 minutes, and leaves nothing in the store', async ({ cluster, client, clock, services, expect, note, fail }) => {
    await cluster.start({ web: 3 });
    for (const shopper of ['ada', 'bob', 'cy']) {
      const browser = client();
      await browser.post('/checkout/cart', { json: { items: [`${shopper}'s tea`] } });
      await browser.post('/checkout/address', { json: { address: `${shopper}'s house` } });
    }
    const late = client();
    await late.post('/checkout/cart', { json: { items: ['late tea'] } });
    note('four shoppers fill a cart; three also enter an address; then nobody comes back');
    await clock.advance(31 * MINUTE);
    note('31 minutes pass');
    const resumed = await late.post('/checkout/address', { json: { address: 'too late' } });
    expect(
      resumed.status,
      `a shopper came back 31 minutes after the cart step and ${resumed.servedBy} let the checkout go on: an unfinished checkout ends 30 minutes after its last step`,
    ).toBe(409);
    const left = await services.kv.keys('*');
    if (left.length > 0) {
      const ttl = await services.kv.ttl(left[0]!);
      fail(
        `four checkouts were abandoned; 31 minutes later the store still holds ${left.length} key(s), such as ${left[0]} (${ttl === -1 ? 'no time-to-live' : `expires in ${ttl} s`}). ` +
          'Abandoned checkouts pile up unless the store forgets them: give each one a 30-minute time-to-live, started again at every step.',
      );
    }
  }),

  test('a checkout survives processes being killed at random', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('sticky');
    // Before each request, a seeded 50% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.5, kill: true });
    // Five shoppers, four steps each: a kill lands on some shopper's process on practically every seed (a memory-only
    // checkout would get through two shoppers unhurt on about one seed in four).
    await checkOut(client(), expect);
    for (let shopper = 2; shopper <= 5; shopper++) {
      await checkOut(client(), expect, { items: [`cart ${shopper}`], address: `${shopper} Chaos Court`, payment: 'card' });
    }
  }),
];
