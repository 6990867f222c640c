// Known-wrong: right in every step (an atomic claim with a lock that expires, a provider key, a unique column, the
// answer saved for repeats), but the saved answers never expire: every order ever placed leaves a key behind in
// the key-value store, which grows until it runs out of memory.
import type { Env } from 'dojo';
import { charge } from './payments.ts';

const LOCK_SECONDS = 30; // longer than an attempt takes
const json = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists orders (
      id integer generated always as identity primary key,
      idempotency_key text not null unique,
      customer text not null,
      item text not null,
      cents integer not null,
      charge_id text not null
    )`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== '/orders' || request.method !== 'POST') {
      return Response.json({ error: 'not found' }, { status: 404 });
    }
    const key = request.headers.get('idempotency-key');
    if (!key) return Response.json({ error: 'send an Idempotency-Key header' }, { status: 400 });
    const earlier = await env.kv.set(`idem:${key}`, 'pending', { NX: true, GET: true, EX: LOCK_SECONDS });
    if (earlier === 'pending') {
      return json(JSON.stringify({ error: 'this order is being placed: try again later' }), 409, { 'retry-after': String(LOCK_SECONDS) });
    }
    if (earlier !== null) return json(earlier, 201);

    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${key}` });
    await env.db.query(
      `insert into orders (idempotency_key, customer, item, cents, charge_id) values ($1, $2, $3, $4, $5)
       on conflict (idempotency_key) do nothing`,
      [key, customer, item, cents, paid.id],
    );
    const { rows } = await env.db.query('select id, charge_id from orders where idempotency_key = $1', [key]);
    const answer = JSON.stringify({ order: { id: rows[0]!.id, customer, item, cents, charge: rows[0]!.charge_id } });
    await env.kv.set(`idem:${key}`, answer); // kept for good, just in case
    return json(answer, 201);
  },
};
