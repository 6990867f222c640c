// Known-wrong: answers are kept per key in the key-value store (for a day), but the app reads the key, then
// charges and records, then writes it: two attempts arriving together both find nothing and both charge.
import type { Env } from 'dojo';
import { charge } from './payments.ts';

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists orders (
      id integer generated always as identity primary key,
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
    const saved = await env.kv.get(`idem:${key}`);
    if (saved !== null) return new Response(saved, { status: 201, headers: { 'content-type': 'application/json' } });

    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents });
    const { rows } = await env.db.query(
      'insert into orders (customer, item, cents, charge_id) values ($1, $2, $3, $4) returning id',
      [customer, item, cents, paid.id],
    );
    const answer = JSON.stringify({ order: { id: rows[0]!.id, customer, item, cents, charge: paid.id } });
    await env.kv.set(`idem:${key}`, answer, { EX: 86_400 });
    return new Response(answer, { status: 201, headers: { 'content-type': 'application/json' } });
  },
};
