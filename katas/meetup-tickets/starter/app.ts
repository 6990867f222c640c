// Meetup tickets: members sign in, buy tickets for the team's meetups, and organisers put up each meetup's
// poster; the organiser gets a sales report every midnight. It works on a laptop, with one process that never
// stops. In production it runs as several processes behind a load balancer, and any of them may be killed at
// any moment.
import type { Env } from 'dojo';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { charge } from './payments.ts';
import { sendMail } from './mail.ts';

const DAY = 24 * 60 * 60 * 1000;
const SESSION_MS = 30 * 60 * 1000;
const PRICE_CENTS = 1500;

interface Ticket {
  id: number;
  event: string;
  user: string;
  charge: string;
  soldOn: string;
}

const sessions = new Map<string, { user: string; lastSeen: number }>();
const tickets: Ticket[] = [];
let nextId = 1;
/** The answer given to each Idempotency-Key, so a repeated request gets the same ticket. */
const answered = new Map<string, Ticket>();

const json = (data: unknown, status = 200, headers: Record<string, string> = {}) => Response.json(data, { status, headers });

/** The UTC day a time falls on: "2026-01-01". */
function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The member signed in with this request's session cookie, or null; every request keeps the session alive. */
function member(request: Request): string | null {
  const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
  const session = sid ? sessions.get(sid) : undefined;
  if (!sid || !session) return null;
  if (Date.now() - session.lastSeen > SESSION_MS) {
    sessions.delete(sid);
    return null;
  }
  session.lastSeen = Date.now();
  return session.user;
}

async function login(request: Request): Promise<Response> {
  const { user } = (await request.json()) as { user?: string };
  if (!user) return json({ error: 'send { "user": "ada" }' }, 400);
  const sid = crypto.randomUUID();
  sessions.set(sid, { user, lastSeen: Date.now() });
  return json({ user }, 200, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` });
}

async function buyTicket(request: Request, env: Env, user: string, event: string): Promise<Response> {
  const key = request.headers.get('idempotency-key');
  if (!key) return json({ error: 'send an Idempotency-Key header' }, 400);
  const earlier = answered.get(key);
  if (earlier) return json({ ticket: shown(earlier) }, 201);
  const paid = await charge(env, { customer: user, amount: PRICE_CENTS });
  const ticket: Ticket = { id: nextId++, event, user, charge: paid.id, soldOn: dayOf(Date.now()) };
  tickets.push(ticket);
  answered.set(key, ticket);
  return json({ ticket: shown(ticket) }, 201);
}

const shown = (t: Ticket) => ({ id: t.id, event: t.event, user: t.user, charge: t.charge });

/** Emails the organiser how many tickets were sold on `day`. */
async function sendReport(env: Env, day: string): Promise<void> {
  const sold = tickets.filter((t) => t.soldOn === day).length;
  await sendMail(env, { to: 'organiser@example.com', subject: `Ticket sales for ${day}`, text: `${sold} ticket(s) sold on ${day}.` });
}

export default {
  async start(env: Env): Promise<void> {
    // At midnight, and every 24 hours after, report the day that has just ended.
    const report = () => sendReport(env, dayOf(Date.now() - 1)).catch((error) => console.error('no report:', error));
    setTimeout(() => {
      report();
      setInterval(report, DAY);
    }, DAY - (Date.now() % DAY));
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/login') return login(request);

    const poster = /^\/events\/([\w-]+)\/poster$/.exec(pathname);
    if (poster && request.method === 'PUT') {
      mkdirSync('posters', { recursive: true });
      writeFileSync(`posters/${poster[1]}`, new Uint8Array(await request.arrayBuffer()));
      writeFileSync(`posters/${poster[1]}.type`, request.headers.get('content-type') ?? 'application/octet-stream');
      return json({ poster: `/events/${poster[1]}/poster` }, 201);
    }
    if (poster && request.method === 'GET') {
      if (!existsSync(`posters/${poster[1]}`)) return json({ error: 'no poster for this meetup yet' }, 404);
      return new Response(readFileSync(`posters/${poster[1]}`), { headers: { 'content-type': readFileSync(`posters/${poster[1]}.type`, 'utf8') } });
    }

    const user = member(request);
    if (request.method === 'GET' && pathname === '/me') return user ? json({ user }) : json({ error: 'sign in first' }, 401);
    const bought = /^\/events\/([\w-]+)\/tickets$/.exec(pathname);
    if (bought && request.method === 'POST') return user ? buyTicket(request, env, user, bought[1]!) : json({ error: 'sign in first' }, 401);
    if (request.method === 'GET' && pathname === '/me/tickets') {
      return user ? json({ tickets: tickets.filter((t) => t.user === user).map(shown) }) : json({ error: 'sign in first' }, 401);
    }
    return json({ error: 'not found' }, 404);
  },
};
