// Visible tests of the capstone kata: what the app does, on one process that never stops, and the litmus test in
// its smallest form (every process restarts, and nothing is lost). The hidden tests run these too, then check each
// promise of factor VI on its own, and finish with the whole litmus test: kills mid-request, rolling deploys,
// scaling up and down, clock jumps. Every failure names the promise that broke and the lesson that teaches it.
import { test, type Client, type TestContext, type TracedResponse } from 'dojo/testing';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const PRICE_CENTS = 1500;
/** The tests start on 1 January 2026 at midnight (UTC): the virtual clock's first moment. */
const JAN_1 = Date.UTC(2026, 0, 1);
/** The moment day `n` begins (day 1 is 1 January). */
export const midnight = (n: number) => JAN_1 + (n - 1) * DAY;
/** Day `n` as the report names it: "2026-01-01". */
export const dayName = (n: number) => new Date(midnight(n)).toISOString().slice(0, 10);

/** The lessons of the course that teach each promise the app must keep. */
export const LESSONS = {
  sessions: { title: 'Sessions live in a store, not in the process', slug: 'sessions-in-a-store' },
  uploads: { title: 'Uploads go to object storage', slug: 'uploads-to-object-storage' },
  database: { title: 'Persistent data lives in a database', slug: 'a-database' },
  retries: { title: 'Any process may die at any moment, mid-request', slug: 'die-at-any-moment' },
  schedule: { title: 'Scheduled work runs once, not once per process', slug: 'one-cron' },
} as const;
export type Lesson = keyof typeof LESSONS;

/** "Promise broken: … Learn it in “…” (/lessons/…/)." appended to a message. */
export function broke(lesson: Lesson, promise: string): string {
  const { title, slug } = LESSONS[lesson];
  return ` Promise broken: ${promise}. The lesson "${title}" teaches it: /lessons/${slug}/`;
}

export const PROMISES: Record<Lesson, string> = {
  sessions: 'a session lives in a shared store with an expiry, so every process knows who is signed in, and a restart signs nobody out',
  uploads: 'an uploaded file goes to the object store, which every process reads and which outlives them all',
  database: 'records (the tickets) live in the database, never in a process\'s memory or disk',
  retries: 'a request may die at any moment and be sent again, so every step is safe to repeat under its Idempotency-Key',
  schedule: 'work done once a day is decided in one place every process shares, not by a timer in each process',
};

/** The body as JSON, or null. */
export function bodyOf(res: TracedResponse): any {
  try {
    return res.json();
  } catch {
    return null;
  }
}

/** "web.2 answered 201 after 3 attempts: {…}" */
export function said(res: TracedResponse): string {
  const attempts = res.attempts > 1 ? ` after ${res.attempts} attempts` : '';
  return `${res.servedBy} (generation ${res.generation}) answered ${res.status}${attempts}: ${res.text().slice(0, 120)}`;
}

/** A request that needs a signed-in member answered 401: the session was lost, which is the sessions lesson's failure. */
export function expectSignedIn({ fail }: Pick<TestContext, 'fail'>, res: TracedResponse, who: string, story: string): void {
  if (res.status === 401) {
    fail(`${story}: ${who} signed in, then ${res.servedBy} (generation ${res.generation}) answered 401, as if they never had.` + broke('sessions', PROMISES.sessions));
  }
}

/** Signs `user` in through the load balancer (sent again if it dies with its process). */
export async function signIn(browser: Client, user: string, { expect }: Pick<TestContext, 'expect'>): Promise<void> {
  const res = await browser.post('/login', { json: { user }, retry: 20 });
  expect(res.status, `POST /login for ${user}: ${said(res)}`).toBe(200);
}

/** Buys a ticket as a careful client does: with an Idempotency-Key, sent again with the same key whenever the attempt dies. */
export function buy(browser: Client, event: string, key: string): Promise<TracedResponse> {
  return browser.post(`/events/${event}/tickets`, { idempotencyKey: key, retry: 20 });
}

/** The charges the payment provider made, by customer. */
export async function charges(services: TestContext['services']): Promise<Map<string, string[]>> {
  const made = new Map<string, string[]>();
  const keys = await services.kv.keys('payments:charge:*');
  const values = keys.length > 0 ? await services.kv.mget(...keys) : [];
  for (const value of values) {
    const charge = JSON.parse(value!) as { id: string; customer: string };
    made.set(charge.customer, [...(made.get(charge.customer) ?? []), charge.id]);
  }
  return made;
}

/** The sales reports in the mail provider's outbox for day `n`. */
export async function reportsOf(services: TestContext['services'], n: number): Promise<{ text: string; sentAt: string }[]> {
  const mails = (await services.kv.lrange('mail:outbox', 0, -1)).map((entry) => JSON.parse(entry) as { subject: string; text: string; sentAt: string });
  return mails.filter((mail) => mail.subject === `Ticket sales for ${dayName(n)}`);
}

/** Exactly one report for day `n`, saying `sold` tickets. */
export async function expectOneReport(ctx: Pick<TestContext, 'services' | 'expect' | 'fail'>, n: number, sold: number, story: string): Promise<void> {
  const reports = await reportsOf(ctx.services, n);
  if (reports.length !== 1) {
    ctx.fail(
      `${story}: the organiser got ${reports.length} sales report(s) for ${dayName(n)}${reports.length > 1 ? `, sent at ${reports.map((r) => r.sentAt.slice(11, 19)).join(', ')}` : ''}, where one was due.` +
        (reports.length > 1
          ? ' Each process has its own timer, and each sent its own report.'
          : ' The process whose timer would have sent it was stopped (a restart, a scale-down, a deploy) and its timer went with it.') +
        broke('schedule', PROMISES.schedule),
    );
  }
  ctx.expect(
    reports[0]!.text,
    `${story}: ${sold} ticket(s) were sold on ${dayName(n)}, but the report says otherwise. The report counts only the tickets one process remembers.` +
      broke('database', PROMISES.database),
  ).toBe(`${sold} ticket(s) sold on ${dayName(n)}.`);
}

/** Checks `user`'s tickets, as every process lists them, against the provider's charges: `expected` tickets, each charged once. */
export async function expectTickets(ctx: Pick<TestContext, 'services' | 'expect' | 'fail'>, browser: Client, user: string, expected: number, story: string): Promise<void> {
  const res = await browser.get('/me/tickets', { retry: 20 });
  expectSignedIn(ctx, res, user, story);
  const listed = (bodyOf(res)?.tickets ?? []) as { charge: string }[];
  const charged = (await charges(ctx.services)).get(user) ?? [];
  if (charged.length > expected) {
    ctx.fail(
      `${story}: ${user} bought ${expected} ticket(s), each with its own Idempotency-Key, and was charged ${charged.length} times. ` +
        'Attempts with the same key charged again (an attempt that charged and then died was sent again, or two were sent at once): pass the provider a key made from the Idempotency-Key, so a repeated charge answers the first one.' +
        broke('retries', PROMISES.retries),
    );
  }
  if (listed.length > expected || new Set(listed.map((t) => t.charge)).size !== listed.length) {
    ctx.fail(
      `${story}: ${user} bought ${expected} ticket(s) and ${res.servedBy} lists ${listed.length} (${listed.map((t) => t.charge).join(', ')}). ` +
        'A repeated attempt issued the ticket again: the process that knew about the first one was not the one that got the repeat. Let the database refuse a second ticket for the same key.' +
        broke('retries', PROMISES.retries),
    );
  }
  if (listed.length < expected) {
    ctx.fail(
      `${story}: ${user} bought ${expected} ticket(s), and ${res.servedBy} (generation ${res.generation}) lists ${listed.length}. ` +
        'Tickets kept by one process are missing on the others, and gone when it restarts.' +
        broke('database', PROMISES.database),
    );
  }
  for (const ticket of listed) {
    ctx.expect(
      charged.includes(ticket.charge),
      `${story}: ${user}'s ticket names the charge ${ticket.charge}, which the provider never made (it charged ${charged.join(', ') || 'nothing'}). ` +
        'A ticket was issued without its charge: a repeat must finish what a dead attempt left undone.' +
        broke('retries', PROMISES.retries),
    ).toBe(true);
  }
  ctx.expect(
    charged.length,
    `${story}: ${user} holds ${listed.length} ticket(s) but was charged ${charged.length} time(s): a ticket was issued without a charge.` + broke('retries', PROMISES.retries),
  ).toBe(expected);
}

/** A small PNG-like poster: its bytes, different per meetup. */
export const posterOf = (event: string) => new TextEncoder().encode(`\x89PNG poster of ${event}`);

/** Every process serves the poster of `event` with its bytes and type. */
export async function expectPoster(ctx: Pick<TestContext, 'expect' | 'fail'>, browser: Client, event: string, story: string): Promise<void> {
  const res = await browser.get(`/events/${event}/poster`, { retry: 20 });
  const want = new TextDecoder().decode(posterOf(event));
  if (res.status !== 200 || new TextDecoder().decode(res.bytes()) !== want) {
    ctx.fail(
      `${story}: the poster of ${event} was uploaded, and ${said(res)}. A file on one process's disk is on no other process, and a restart wipes it.` +
        broke('uploads', PROMISES.uploads),
    );
  }
  ctx.expect(res.headers.get('content-type'), `${story}: the poster of ${event} was uploaded as image/png, and ${res.servedBy} serves it as another type.` + broke('uploads', PROMISES.uploads)).toBe('image/png');
}

export default [
  test('a member signs in, buys a ticket and sees it, and the organiser gets the day\'s report', async (ctx) => {
    const { cluster, client, clock, expect } = ctx;
    await cluster.start({ web: 1, worker: 1 });
    const ada = client();
    await signIn(ada, 'ada', ctx);
    const me = await ada.get('/me');
    expect(JSON.stringify(bodyOf(me)), `GET /me after signing in: ${said(me)}`).toBe('{"user":"ada"}');
    const bought = await buy(ada, 'js-night', 'ada-1');
    expect(bought.status, `POST /events/js-night/tickets: ${said(bought)}`).toBe(201);
    expect(bodyOf(bought)?.ticket?.event, `POST /events/js-night/tickets: ${said(bought)}; the answer is { ticket: { id, event, user, charge } }`).toBe('js-night');
    await expectTickets(ctx, ada, 'ada', 1, 'ada bought one ticket on a single process');
    const organiser = client();
    const put = await organiser.put('/events/js-night/poster', { body: posterOf('js-night'), headers: { 'content-type': 'image/png' } });
    expect(put.status, `PUT /events/js-night/poster: ${said(put)}`).toBe(201);
    await expectPoster(ctx, organiser, 'js-night', 'the poster was uploaded on a single process');
    await clock.advance(DAY + HOUR);
    await expectOneReport(ctx, 1, 1, 'one process ran through 1 January');
  }),

  test('the litmus test, in short: after every process restarts, nothing is lost', async (ctx) => {
    const { cluster, client, note } = ctx;
    await cluster.start({ web: 2, worker: 1 });
    const bo = client();
    await signIn(bo, 'bo', ctx);
    await buy(bo, 'rust-meetup', 'bo-1');
    await client().put('/events/rust-meetup/poster', { body: posterOf('rust-meetup'), headers: { 'content-type': 'image/png' } });
    await cluster.restartAll();
    note('every process restarted (a deploy, a config change, the platform\'s daily restart)');
    const story = 'bo signed in and bought a ticket, the organiser uploaded a poster, then every process restarted';
    expectSignedIn(ctx, await bo.get('/me'), 'bo', story);
    await expectTickets(ctx, bo, 'bo', 1, story);
    await expectPoster(ctx, client(), 'rust-meetup', story);
  }),
];
