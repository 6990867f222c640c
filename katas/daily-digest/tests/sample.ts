// Visible tests of the daily-digest kata: with three web processes, one digest a day, not three, and
// a week of digests, one for each day. The hidden tests run these too, then restart processes just
// before midnight, kill them while the digest is being sent, scale up mid-week, and add chaos.
import { test, type Client, type TestContext } from 'dojo/testing';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
/** The tests start on 1 January 2026 at midnight (UTC): the virtual clock's first moment. */
const JAN_1 = Date.UTC(2026, 0, 1);

/** The moment day `n` begins (day 1 is 1 January): `midnight(2)` ends day 1. */
export const midnight = (n: number) => JAN_1 + (n - 1) * DAY;
/** Day `n` as the digest names it: "2026-01-01". */
export const dayName = (n: number) => new Date(midnight(n)).toISOString().slice(0, 10);
/** "2 January, 00:00:02" */
export const when = (time: number) => {
  const date = new Date(time);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  return `${date.getUTCDate()} ${months[date.getUTCMonth()]}, ${date.toISOString().slice(11, 19)}`;
};

/** Moves the clock to `time` (the clock may already be there: a worker's job can move it while it runs). */
export async function advanceTo(clock: TestContext['clock'], time: number): Promise<void> {
  if (time > clock.now()) await clock.advance(time - clock.now());
}

/** Signs `email` up, through the load balancer, as a browser would (a request that dies with its process is sent again). */
export async function signUp(client: () => Client, email: string): Promise<void> {
  const res = await client().post(`/signup?email=${encodeURIComponent(email)}`, { retry: 3 });
  if (res.status !== 201) throw new Error(`POST /signup for ${email} was answered by ${res.servedBy} with ${res.status}: ${res.text().slice(0, 120)}`);
}

/** An email in the mail provider's outbox, and the process that sent it. */
export interface Sent {
  to: string;
  subject: string;
  text: string;
  sentAt: number;
  by: string;
}

/** Every email sent so far, oldest first, each with the process that sent it (found in the trace). */
export async function outbox({ services, trace }: Pick<TestContext, 'services' | 'trace'>): Promise<Sent[]> {
  const senders = new Map<string, string[]>();
  for (const event of trace.events) {
    if (event.kind !== 'call' || event.service !== 'kv' || event.method !== 'rpush' || event.error) continue;
    const args = event.full?.args ?? event.args;
    if (!args.startsWith('["mail:outbox"')) continue;
    const key = args; // the email as it was pushed: the same text as the outbox's entry
    senders.set(key, [...(senders.get(key) ?? []), event.process]);
  }
  const entries = await services.kv.lrange('mail:outbox', 0, -1);
  return entries.map((entry) => {
    const mail = JSON.parse(entry) as Omit<Sent, 'sentAt' | 'by'> & { sentAt: string };
    const by = senders.get(JSON.stringify(['mail:outbox', entry]))?.shift() ?? 'a process';
    return { ...mail, sentAt: Date.parse(mail.sentAt), by };
  });
}

/** The digests of day `n`. */
export const digestsOf = (mails: readonly Sent[], n: number) => mails.filter((mail) => mail.subject === `Daily digest for ${dayName(n)}`);

/** "by web.1 at 2 January, 00:00:02, by web.2 at … and by web.3 at …" */
export function described(mails: readonly Sent[]): string {
  const each = mails.map((mail) => `by ${mail.by} at ${when(mail.sentAt)}`);
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} and ${each.at(-1)}` : (each[0] ?? '');
}

/**
 * Day `n`'s digest was sent exactly once, in the first hour after its midnight. `happened` says what the test did
 * (for the message); `missing` and `twice` explain those failures in terms of the concept.
 */
export function expectOneDigest(
  { expect, fail }: Pick<TestContext, 'expect' | 'fail'>,
  mails: readonly Sent[],
  n: number,
  words: { happened: string; missing: string; twice: string },
): Sent {
  const digests = digestsOf(mails, n);
  const day = dayName(n);
  if (digests.length === 0) {
    const late = mails.filter((mail) => mail.subject.includes(day));
    fail(`${words.happened}. No digest for ${day} was sent in the hour after its midnight${late.length > 0 ? ` (${late.length} came later: ${described(late)})` : ''}. ${words.missing}`);
  }
  expect(digests.length, `${words.happened}. The digest for ${day} was sent ${digests.length} times, ${described(digests)}. ${words.twice}`).toBe(1);
  const digest = digests[0]!;
  const end = midnight(n + 1);
  if (digest.sentAt < end) fail(`${words.happened}. The digest for ${day} was sent at ${when(digest.sentAt)}, before the day was over: sign-ups after that are missing from it`);
  if (digest.sentAt > end + HOUR) fail(`${words.happened}. The digest for ${day} was sent at ${when(digest.sentAt)}, more than an hour after midnight. ${words.missing}`);
  return digest;
}

/** The digest lists each of these sign-ups. */
export function expectListed({ expect }: Pick<TestContext, 'expect'>, digest: Sent, emails: readonly string[], n: number): void {
  for (const email of emails) {
    expect(digest.text, `${email} signed up on ${dayName(n)}, but the digest for that day doesn't list them (it says: ${JSON.stringify(digest.text.slice(0, 160))})`).toContain(email);
  }
}

const PER_PROCESS = 'Each process runs its own timer, so each sends its own digest. Work the whole app does once a day needs one place that decides it runs once: a job scheduler, or a claim on the day in the shared store';

export default [
  test('three processes send one digest a day', async (ctx) => {
    const { cluster, client, clock, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    await advanceTo(clock, midnight(1) + 9 * HOUR);
    await signUp(client, 'ada@example.com');
    note('ada signed up at 09:00 on 1 January');
    await advanceTo(clock, midnight(2) + HOUR);
    note('the clock reached 01:00 on 2 January');
    const digest = expectOneDigest(ctx, await outbox(ctx), 1, {
      happened: 'Three web processes and a worker ran through 1 January',
      missing: 'The digest must go out shortly after midnight, once',
      twice: PER_PROCESS,
    });
    expectListed(ctx, digest, ['ada@example.com'], 1);
  }),

  test('a week sends seven digests, one for each day', async (ctx) => {
    const { cluster, client, clock, note } = ctx;
    await cluster.start({ web: 3, worker: 1 });
    for (let n = 1; n <= 7; n++) {
      await advanceTo(clock, midnight(n) + 12 * HOUR);
      await signUp(client, `user${n}@example.com`);
    }
    note('one person signed up at noon each day, for a week');
    await advanceTo(clock, midnight(8) + HOUR);
    const mails = await outbox(ctx);
    for (let n = 1; n <= 7; n++) {
      const digest = expectOneDigest(ctx, mails, n, {
        happened: 'Three web processes and a worker ran for a week',
        missing: 'Every day needs its digest, shortly after midnight',
        twice: PER_PROCESS,
      });
      expectListed(ctx, digest, [`user${n}@example.com`], n);
    }
  }),
];
