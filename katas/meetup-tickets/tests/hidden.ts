// Hidden tests of the capstone kata: the visible tests, then one test per promise of factor VI the app must keep
// (sessions, uploads, records, requests safe to repeat, once-a-day work), each naming the lesson that teaches it,
// and the whole litmus test: random kills mid-request, rolling deploys, scaling up and down and clock jumps at once.
import { test } from 'dojo/testing';
import samples, {
  broke,
  buy,
  bodyOf,
  expectOneReport,
  expectPoster,
  expectSignedIn,
  expectTickets,
  HOUR,
  midnight,
  MINUTE,
  posterOf,
  PROMISES,
  said,
  signIn,
} from './sample.ts';

export default [
  ...samples,

  test('a member stays signed in whichever process answers, and after every process restarts', async (ctx) => {
    const { cluster, client, expect, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    cluster.balance('round-robin');
    const cy = client();
    await signIn(cy, 'cy', ctx);
    for (let i = 0; i < 3; i++) {
      const res = await cy.get('/me');
      expectSignedIn(ctx, res, 'cy', 'cy signed in once, then asked GET /me of each web process in turn');
      expect(bodyOf(res)?.user, `GET /me: ${said(res)}`).toBe('cy');
    }
    await cluster.restartAll();
    note('every process restarted');
    expectSignedIn(ctx, await cy.get('/me'), 'cy', 'cy signed in, then every process restarted (a deploy would do the same)');
  }),

  test('a session ends 30 minutes after its last request, and nothing of it stays in the store', async (ctx) => {
    const { cluster, client, clock, services, expect, fail, note } = ctx;
    await cluster.start({ web: 2, worker: 1 });
    const dee = client();
    await signIn(dee, 'dee', ctx);
    await clock.advance(20 * MINUTE);
    expectSignedIn(ctx, await dee.get('/me'), 'dee', 'dee signed in, and came back 20 minutes later');
    await clock.advance(20 * MINUTE);
    expectSignedIn(ctx, await dee.get('/me'), 'dee', 'dee signed in, and made a request every 20 minutes: the session must stay alive while it is used');
    await clock.advance(31 * MINUTE);
    note('dee left: 31 minutes without a request');
    const late = await dee.get('/me');
    expect(late.status, `dee made no request for 31 minutes, then ${said(late)}. A session ends 30 minutes after its last request.` + broke('sessions', PROMISES.sessions)).toBe(401);
    const kept = [];
    for (const key of await services.kv.keys('*')) {
      if (key.startsWith('payments:') || key.startsWith('mail:')) continue;
      if ((await services.kv.ttl(key)) === -1) kept.push(key);
    }
    if (kept.length > 0) {
      fail(
        `dee's session ended, and the key-value store still holds ${kept.join(', ')} with no time-to-live: every session ever opened stays in the store for ever. ` +
          'Let the store forget a session (a TTL, renewed on each request), rather than checking its age in the app.' +
          broke('sessions', PROMISES.sessions),
      );
    }
  }),

  test('a poster uploaded to one process is served by every process, after a deploy', async (ctx) => {
    const { cluster, client, expect, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    cluster.balance('round-robin');
    const organiser = client();
    const put = await organiser.put('/events/go-meetup/poster', { body: posterOf('go-meetup'), headers: { 'content-type': 'image/png' } });
    expect(put.status, `PUT /events/go-meetup/poster: ${said(put)}`).toBe(201);
    for (let i = 0; i < 3; i++) await expectPoster(ctx, client(), 'go-meetup', `the poster was uploaded to ${put.servedBy}, then each web process was asked for it`);
    await cluster.deploy();
    note('a new release was deployed: every process restarted');
    await expectPoster(ctx, client(), 'go-meetup', `the poster was uploaded to ${put.servedBy}, then a new release was deployed`);
  }),

  test('a ticket bought on one process is listed by every process, after a restart', async (ctx) => {
    const { cluster, client, expect, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    cluster.balance('round-robin');
    const eli = client();
    await signIn(eli, 'eli', ctx);
    for (const key of ['eli-1', 'eli-2']) {
      const res = await buy(eli, 'css-day', key);
      expectSignedIn(ctx, res, 'eli', 'eli signed in, then bought a ticket on another process');
      expect(res.status, `POST /events/css-day/tickets: ${said(res)}`).toBe(201);
    }
    for (let i = 0; i < 3; i++) await expectTickets(ctx, eli, 'eli', 2, 'eli bought two tickets, then each web process was asked for them');
    await cluster.restartAll();
    note('every process restarted');
    await expectTickets(ctx, eli, 'eli', 2, 'eli bought two tickets, then every process restarted');
  }),

  test('a ticket is charged once and issued once, however often its request is sent: at once, or after a process died', async (ctx) => {
    const { cluster, client, expect, note } = ctx;
    await cluster.start({ web: 2, worker: 1 });
    const fay = client();
    await signIn(fay, 'fay', ctx);
    // A double-click, and a client library retrying a slow request: three attempts with one key in flight together.
    const attempts = await Promise.all([1, 2, 3].map(() => buy(fay, 'ml-evening', 'fay-0')));
    note(`three attempts with the same key at once: ${attempts.map((res) => `${res.servedBy} ${res.status}`).join(', ')}`);
    for (const res of attempts) expectSignedIn(ctx, res, 'fay', 'fay signed in, then sent three attempts to buy one ticket at once');
    const ids = new Set(attempts.filter((res) => res.status === 201).map((res) => bodyOf(res)?.ticket?.id));
    expect(
      ids.size,
      `three attempts with the same Idempotency-Key at the same moment were answered: ${attempts.map(said).join('; ')}. They are one purchase: one ticket, the same answer.` +
        broke('retries', PROMISES.retries),
    ).toBe(1);
    await expectTickets(ctx, fay, 'fay', 1, 'fay sent three attempts to buy one ticket, with the same key, at the same moment');
    // Half the attempts: the process handling it is killed at a moment the seed picks, before one of its calls to a
    // backing service (the provider's charge, the database…) or just before its answer leaves.
    cluster.chaos({ midRequest: 0.5, kill: true });
    const first = new Map<string, unknown>();
    for (let i = 1; i <= 10; i++) {
      const res = await buy(fay, 'ml-evening', `fay-${i}`);
      expectSignedIn(ctx, res, 'fay', 'fay signed in, then bought tickets while processes were killed mid-request');
      expect(res.status, `fay's ticket ${i}, while processes were killed mid-request: ${said(res)}`).toBe(201);
      first.set(`fay-${i}`, bodyOf(res)?.ticket?.id);
    }
    cluster.chaos(null);
    note('fay bought 10 tickets, each with its own Idempotency-Key; every attempt that died was sent again with the same key');
    // A lost answer: the client sends three of them again, and they reach whichever process the balancer picks.
    for (const key of ['fay-1', 'fay-4', 'fay-7']) {
      const again = await buy(fay, 'ml-evening', key);
      expect(
        bodyOf(again)?.ticket?.id,
        `the ticket bought with the key ${key} was sent again (its answer was lost): ${said(again)}. A repeat must get the same ticket, whichever process answers.` +
          broke('retries', PROMISES.retries),
      ).toBe(first.get(key));
    }
    await expectTickets(ctx, fay, 'fay', 11, 'fay bought 10 more tickets while processes were killed in the middle of requests, and the client sent each dead attempt again');
  }),

  test('the daily sales report is sent once a day, however many processes run', async (ctx) => {
    const { cluster, client, clock, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    const sold = [2, 1, 0];
    for (let n = 1; n <= 3; n++) {
      const gus = client();
      await signIn(gus, 'gus', ctx);
      for (let i = 1; i <= sold[n - 1]!; i++) await buy(gus, 'sql-club', `gus-${n}-${i}`);
      if (n === 2) {
        await cluster.scale({ web: 5 });
        note('scaled up to five web processes');
      }
      if (n === 3) {
        await cluster.scale({ web: 1 });
        note('scaled down to one web process');
      }
      await clock.advance(midnight(n + 1) + HOUR - clock.now());
      await expectOneReport(ctx, n, sold[n - 1]!, `${cluster.processes('web').length} web process(es) and a worker ran through day ${n}`);
    }
  }),

  test('the litmus test: random kills mid-request, rolling deploys, scaling up and down and clock jumps lose nothing', async (ctx) => {
    const { cluster, client, clock, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    const members = ['hal', 'ivy', 'jo'];
    const browsers = new Map(members.map((name) => [name, client()]));
    const bought = new Map(members.map((name) => [name, 0]));
    const events: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const event = `meetup-${n}`;
      events.push(event);
      // From now on, before any request a process may be killed, and the one handling it may die in the middle.
      cluster.chaos({ midRequest: 0.3, restart: 0.2, kill: true });
      for (const [name, browser] of browsers) await signIn(browser, name, ctx);
      await client().put(`/events/${event}/poster`, { body: posterOf(event), headers: { 'content-type': 'image/png' }, retry: 20 });
      // Every member buys a ticket while processes die mid-request...
      for (const name of members) {
        expectSignedIn(ctx, await buy(browsers.get(name)!, event, `${name}-${n}-1`), name, `day ${n}: members bought tickets while processes were killed mid-request`);
      }
      // A new release rolls over every process...
      await cluster.deploy();
      // ...and every member buys another ticket, all at once.
      const buying = members.map((name) => buy(browsers.get(name)!, event, `${name}-${n}-2`));
      for (const res of await Promise.all(buying)) expectSignedIn(ctx, res, 'a member', `day ${n}: members bought tickets at the same time, after a deploy, while processes were killed`);
      for (const name of members) bought.set(name, bought.get(name)! + 2);
      if (n === 1) await cluster.scale({ web: 5 });
      if (n === 2) await cluster.scale({ web: 2, worker: 2 });
      await clock.advance(10 * MINUTE);
      note(`day ${n}: ${cluster.processes('web').length} web processes; the clock jumped 10 minutes`);
      const story = `day ${n}: members signed in and bought tickets while processes were killed mid-request, a deploy rolled over every process, the app was scaled, and the clock jumped 10 minutes`;
      for (const name of members) await expectTickets(ctx, browsers.get(name)!, name, bought.get(name)!, story);
      for (const past of events) await expectPoster(ctx, client(), past, story);
      cluster.chaos(null);
      await clock.advance(midnight(n + 1) + HOUR - clock.now());
      await expectOneReport(ctx, n, 2 * members.length, `day ${n}: the app ran through the day under kills, a deploy and scaling, and the clock jumped to 01:00 the next day`);
    }
  }),
];
