// A sign-up service: POST /signup?email=ada@example.com signs someone up. Every day at midnight (UTC)
// the team gets an email with the day's sign-ups: the daily digest. A timer in this process sends it.
// Wrong: a lock for a minute, not tied to a day: it stops only the processes whose timers fire in the same
// minute. A process started at noon sends its own digest at noon.
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

async function sendLocked(env: Env, day: string): Promise<void> {
  if ((await env.kv.set('digest:lock', 'locked', { NX: true, PX: 60_000 })) === null) return; // another process is sending
  await sendDigest(env, day);
}

export default {
  async start(env: Env): Promise<void> {
    // Every 24 hours, send the digest of the day that has just ended, unless another process holds the lock.
    setInterval(() => {
      sendLocked(env, dayOf(Date.now() - DAY)).catch((error) => console.error('the digest was not sent:', error));
    }, DAY);
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
