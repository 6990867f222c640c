// Meetup tickets, known wrong (tickets-in-memory): tickets are charged under the Idempotency-Key, but kept in a Map in process memory: each process lists only its own, and a restart loses them.
import type { Env } from 'dojo';
import { charge } from './payments.ts';
import { DAY, dayOf } from './report.ts';

const SESSION_SECONDS = 30 * 60;
const PRICE_CENTS = 1500;
// Wrong: tickets are kept in this process's memory, by Idempotency-Key; the report counts them in the store.
const tickets = new Map<string, { id: string; event: string; user: string; charge: string }>();

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(data, { status, headers });

/** The member signed in with this request's session cookie, or null; every request keeps the session alive. */
async function member(request: Request, env: Env): Promise<string | null> {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  if (!sid) return null;
  const user = await env.kv.get(`session:${sid}`);
  if (user === null) return null;
  await env.kv.expire(`session:${sid}`, SESSION_SECONDS);
  return user;
}

async function login(request: Request, env: Env): Promise<Response> {
  const { user } = (await request.json()) as { user?: string };
  if (!user) return json({ error: 'send { "user": "ada" }' }, 400);
  const sid = crypto.randomUUID();
  await env.kv.set(`session:${sid}`, user, { EX: SESSION_SECONDS });
  return json({ user }, 200, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

async function buyTicket(request: Request, env: Env, user: string, event: string): Promise<Response> {
  const key = request.headers.get('idempotency-key');
  if (!key) return json({ error: 'send an Idempotency-Key header' }, 400);
  // A repeat of an attempt that died after charging gets the same charge back, not a second one...
  const paid = await charge(env, { customer: user, amount: PRICE_CENTS, idempotencyKey: `ticket:${key}` });
  // ...and a repeat of one that died after recording records nothing.
  let ticket = tickets.get(key);
  if (!ticket) {
    ticket = { id: crypto.randomUUID(), event, user, charge: paid.id };
    tickets.set(key, ticket);
    await env.kv.incr(`sold:${dayOf(Date.now())}`);
  }
  return json({ ticket }, 201);
}

async function myTickets(env: Env, user: string): Promise<Response> {
  return json({ tickets: [...tickets.values()].filter((t) => t.user === user) });
}

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists tickets (
      id integer generated always as identity primary key,
      idempotency_key text not null unique,
      event text not null,
      member text not null,
      charge_id text not null,
      sold_on text not null
    )`);
    // Every process declares the same schedule: the queue keeps one, and adds one job each midnight.
    await env.queue.enqueue('report', {}, { repeat: { everyMs: DAY }, jobId: 'daily-report' });
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/login') return login(request, env);

    const poster = /^\/events\/([\w-]+)\/poster$/.exec(pathname);
    if (poster && request.method === 'PUT') {
      await env.objects.put(`posters/${poster[1]}`, new Uint8Array(await request.arrayBuffer()), {
        contentType: request.headers.get('content-type') ?? 'application/octet-stream',
      });
      return json({ poster: `/events/${poster[1]}/poster` }, 201);
    }
    if (poster && request.method === 'GET') {
      const stored = await env.objects.get(`posters/${poster[1]}`);
      if (!stored) return json({ error: 'no poster for this meetup yet' }, 404);
      return new Response(await stored.arrayBuffer(), { headers: { 'content-type': stored.contentType } });
    }

    const user = await member(request, env);
    if (request.method === 'GET' && pathname === '/me') return user ? json({ user }) : json({ error: 'sign in first' }, 401);
    const tickets = /^\/events\/([\w-]+)\/tickets$/.exec(pathname);
    if (tickets && request.method === 'POST') return user ? buyTicket(request, env, user, tickets[1]!) : json({ error: 'sign in first' }, 401);
    if (request.method === 'GET' && pathname === '/me/tickets') return user ? myTickets(env, user) : json({ error: 'sign in first' }, 401);
    return json({ error: 'not found' }, 404);
  },
};
