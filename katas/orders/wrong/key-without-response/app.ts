// Known-wrong: the key is claimed atomically (SET NX, for a day), but only the key is stored, not the answer: a
// repeat is told "already placed" instead of getting its order, and an attempt that died after claiming the key
// leaves an order that is never placed.
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
    const claimed = await env.kv.set(`idem:${key}`, '1', { NX: true, EX: 86_400 });
    if (claimed === null) return Response.json({ status: 'already placed' }, { status: 200 });

    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${key}` });
    const { rows } = await env.db.query(
      'insert into orders (customer, item, cents, charge_id) values ($1, $2, $3, $4) returning id',
      [customer, item, cents, paid.id],
    );
    return Response.json({ order: { id: rows[0]!.id, customer, item, cents, charge: paid.id } }, { status: 201 });
  },
};
