// A sign-up service: POST /signup?email=ada@example.com signs someone up. Every day at midnight (UTC)
// the team gets an email with the day's sign-ups: the daily digest. Every web process checks every
// half hour whether yesterday's digest is due, and claims the day in the shared store first: one
// claim wins, so one process sends it.
// Wrong: the claim lasts two days and is taken before sending. If the process dies while sending, the day
// stays claimed and no process sends its digest.
import type { Env } from 'dojo';
import { sendMail } from './mail.ts';

const MINUTE = 60 * 1000;
const DAY = 24 * 60 * MINUTE;
const CHECK_EVERY_MS = 30 * MINUTE;
/** how long "sent" is remembered: past the day after, the only day that looks at it */
const SENT_SECONDS = 2 * 24 * 60 * 60;

/** The UTC day a time falls on: "2026-01-01". */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Emails the team the digest of one day: who signed up that day. */
export async function sendDigest(env: Env, day: string): Promise<void> {
  const emails = await env.kv.lrange(`signups:${day}`, 0, -1);
  await sendMail(env, {
    to: 'team@example.com',
    subject: `Daily digest for ${day}`,
    text: `${emails.length} new sign-up(s) on ${day}:\n${emails.join('\n')}`,
  });
}

/** Sends the digest of the day that has ended, unless another process sends it or has sent it. */
async function check(env: Env): Promise<void> {
  const day = dayOf(Date.now() - DAY); // from the clock, not from when this process started
  const key = `digest:${day}`;
  // SET NX: of the processes checking at once, only one gets the day.
  const claimed = await env.kv.set(key, 'sent', { NX: true, EX: SENT_SECONDS });
  if (claimed === null) return; // sent
  await sendDigest(env, day);
}

export default {
  async start(env: Env): Promise<void> {
    setInterval(() => {
      check(env).catch((error) => console.error('the digest check failed:', error));
    }, CHECK_EVERY_MS);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/signup') {
      const email = url.searchParams.get('email');
      if (!email || !email.includes('@')) {
        return Response.json({ error: 'POST /signup?email=ada@example.com' }, { status: 400 });
      }
      await env.kv.rpush(`signups:${dayOf(Date.now())}`, email);
      return Response.json({ signedUp: email }, { status: 201 });
    }
    return Response.json({ error: 'not found: POST /signup?email=...' }, { status: 404 });
  },
};
