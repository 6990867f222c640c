// A sign-up service: POST /signup?email=ada@example.com signs someone up. Every day at midnight (UTC)
// the team gets an email with the day's sign-ups: the daily digest. The web processes only declare
// the schedule; the job queue adds one job per day however many processes declare it, and a
// worker sends the digest (worker.ts).
import type { Env } from 'dojo';
import { DAY, dayOf } from './digest.ts';

export default {
  async start(env: Env): Promise<void> {
    // Every process declares the same schedule (same queue, same jobId): the queue keeps one, and
    // its next run is kept in the queue, not in this process, so a restart doesn't move it.
    await env.queue.enqueue('digest', {}, { repeat: { everyMs: DAY }, jobId: 'daily-digest' });
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
