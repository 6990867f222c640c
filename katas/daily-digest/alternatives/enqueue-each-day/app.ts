// A sign-up service: POST /signup?email=ada@example.com signs someone up. Every day at midnight (UTC)
// the team gets an email with the day's sign-ups: the daily digest. Every web process checks every
// half hour and enqueues the digest job of the day that has ended, with the day in its jobId: the
// queue keeps one job per jobId, however many processes enqueue it, and a worker sends it.
import type { Env } from 'dojo';
import { DAY, dayOf } from './digest.ts';

const CHECK_EVERY_MS = 30 * 60 * 1000;

export default {
  async start(env: Env): Promise<void> {
    setInterval(() => {
      const day = dayOf(Date.now() - DAY); // from the clock, not from when this process started
      env.queue.enqueue('digest', { day }, { jobId: `digest-${day}` }).catch((error) => console.error('the digest was not enqueued:', error));
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
