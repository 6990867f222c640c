// Known-wrong: the order is recorded first (one per key, thanks to a unique column), then charged with no
// idempotency key. A repeat finds the order and answers it, assuming the charge went through: a process that
// died between recording and charging leaves an order nobody paid for.
import type { Env } from 'dojo';
import { charge } from './payments.ts';

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists orders (
      id integer generated always as identity primary key,
      idempotency_key text not null unique,
      customer text not null,
      item text not null,
      cents integer not null,
      charge_id text
    )`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== '/orders' || request.method !== 'POST') {
      return Response.json({ error: 'not found' }, { status: 404 });
    }
    const key = request.headers.get('idempotency-key');
    if (!key) return Response.json({ error: 'send an Idempotency-Key header' }, { status: 400 });
    const { customer, item, cents } = await request.json();
    const { rows } = await env.db.query(
      `insert into orders (idempotency_key, customer, item, cents) values ($1, $2, $3, $4)
       on conflict (idempotency_key) do nothing returning id`,
      [key, customer, item, cents],
    );
    if (rows.length === 0) {
      // Seen this key: the order is placed (surely it was charged too).
      const { rows: [order] } = await env.db.query('select id, charge_id from orders where idempotency_key = $1', [key]);
      return Response.json({ order: { id: order!.id, customer, item, cents, charge: order!.charge_id } }, { status: 201 });
    }
    const paid = await charge(env, { customer, amount: cents });
    await env.db.query('update orders set charge_id = $1 where id = $2', [paid.id, rows[0]!.id]);
    return Response.json({ order: { id: rows[0]!.id, customer, item, cents, charge: paid.id } }, { status: 201 });
  },
};
