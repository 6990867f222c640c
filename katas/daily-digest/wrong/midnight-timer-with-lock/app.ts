// A sign-up service: POST /signup?email=ada@example.com signs someone up. Every day at midnight (UTC)
// the team gets an email with the day's sign-ups: the daily digest. A timer in this process sends it.
// Wrong: every process sets a timer for midnight (cron's "0 0 * * *", as node-cron would) and claims the day
// in the store before sending, with an expiry, so one process sends. But nobody tries again: if the process
// that claimed the day dies while sending, its claim expires while every timer waits for the next midnight.
import type { Env } from 'dojo';
import { sendMail } from './mail.ts';

const DAY = 24 * 60 * 60 * 1000;

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

/** Sends the day's digest unless another process has claimed the day: the claim expires if its process dies. */
async function sendClaimed(env: Env, day: string): Promise<void> {
  if ((await env.kv.set(`digest:${day}`, 'sending', { NX: true, PX: 5 * 60_000 })) === null) return;
  await sendDigest(env, day);
  await env.kv.set(`digest:${day}`, 'sent', { EX: 2 * 24 * 60 * 60 });
}

export default {
  async start(env: Env): Promise<void> {
    // At every midnight, whenever this process started, send the digest of the day that has just ended.
    const run = () => {
      sendClaimed(env, dayOf(Date.now() - DAY)).catch((error) => console.error('the digest was not sent:', error));
    };
    setTimeout(() => {
      run();
      setInterval(run, DAY);
    }, DAY - (Date.now() % DAY));
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
