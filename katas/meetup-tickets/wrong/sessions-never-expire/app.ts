// Meetup tickets, known wrong (sessions-never-expire): sessions are in the key-value store, but with no time-to-live: the app checks their age itself, so abandoned sessions stay in the store for ever.
import type { Env } from 'dojo';
import { charge } from './payments.ts';
import { DAY, dayOf } from './report.ts';

// Wrong: the app checks a session's age itself, and the store never forgets an abandoned one.
const SESSION_MS = 30 * 60 * 1000;
const PRICE_CENTS = 1500;

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(data, { status, headers });

/** The member signed in with this request's session cookie, or null; every request keeps the session alive. */
async function member(request: Request, env: Env): Promise<string | null> {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  if (!sid) return null;
  const stored = await env.kv.get(`session:${sid}`);
  if (stored === null) return null;
  const session = JSON.parse(stored) as { user: string; lastSeen: number };
  if (Date.now() - session.lastSeen > SESSION_MS) return null;
  await env.kv.set(`session:${sid}`, JSON.stringify({ ...session, lastSeen: Date.now() }));
  return session.user;
}

async function login(request: Request, env: Env): Promise<Response> {
  const { user } = (await request.json()) as { user?: string };
  if (!user) return json({ error: 'send { "user": "ada" }' }, 400);
  const sid = crypto.randomUUID();
  await env.kv.set(`session:${sid}`, JSON.stringify({ user, lastSeen: Date.now() }));
  return json({ user }, 200, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

async function buyTicket(request: Request, env: Env, user: string, event: string): Promise<Response> {
  const key = request.headers.get('idempotency-key');
  if (!key) return json({ error: 'send an Idempotency-Key header' }, 400);
  // A repeat of an attempt that died after charging gets the same charge back, not a second one...
  const paid = await charge(env, { customer: user, amount: PRICE_CENTS, idempotencyKey: `ticket:${key}` });
  // ...and a repeat of one that died after recording records nothing.
  await env.db.query(
    `insert into tickets (idempotency_key, event, member, charge_id, sold_on) values ($1, $2, $3, $4, $5)
     on conflict (idempotency_key) do nothing`,
    [key, event, user, paid.id, dayOf(Date.now())],
  );
  const { rows } = await env.db.query('select id, event, member, charge_id from tickets where idempotency_key = $1', [key]);
  const ticket = rows[0]!;
  return json({ ticket: { id: ticket.id, event: ticket.event, user: ticket.member, charge: ticket.charge_id } }, 201);
}

async function myTickets(env: Env, user: string): Promise<Response> {
  const { rows } = await env.db.query('select id, event, member, charge_id from tickets where member = $1 order by id', [user]);
  return json({ tickets: rows.map((t) => ({ id: t.id, event: t.event, user: t.member, charge: t.charge_id })) });
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
