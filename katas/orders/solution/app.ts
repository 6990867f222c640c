// A shop's orders: POST /orders charges the customer through the payment provider, then records the order.
// A process may die at any moment, and the client then sends the same order again with the same
// Idempotency-Key. So every step is safe to repeat under that key: the provider makes at most one charge
// per key, and the database at most one order per key (a unique column); the answer is read back from the
// order, so every attempt gets the same one. Nothing about an order is kept in the process.
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
      charge_id text not null
    )`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== '/orders' || request.method !== 'POST') {
      return Response.json({ error: 'not found' }, { status: 404 });
    }
    const key = request.headers.get('idempotency-key');
    if (!key) return Response.json({ error: 'send an Idempotency-Key header' }, { status: 400 });
    const { customer, item, cents } = await request.json();

    // A repeat of an attempt that died after charging gets the same charge back, not a second one.
    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${key}` });
    // A repeat of an attempt that died after recording inserts nothing.
    await env.db.query(
      `insert into orders (idempotency_key, customer, item, cents, charge_id) values ($1, $2, $3, $4, $5)
       on conflict (idempotency_key) do nothing`,
      [key, customer, item, cents, paid.id],
    );
    const { rows } = await env.db.query('select id, customer, item, cents, charge_id from orders where idempotency_key = $1', [key]);
    const order = rows[0]!;
    return Response.json(
      { order: { id: order.id, customer: order.customer, item: order.item, cents: order.cents, charge: order.charge_id } },
      { status: 201 },
    );
  },
};
