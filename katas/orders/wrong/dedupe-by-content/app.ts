// Known-wrong: instead of the client's Idempotency-Key, the app makes its own key from what is ordered (customer,
// item, amount). Repeats are caught, but so is a customer's second, real order of the same thing: it is answered
// with the first one and never charged.
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
    const sameOrder = `${customer}|${item}|${cents}`; // the same thing ordered again must be a repeat, surely

    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${sameOrder}` });
    await env.db.query(
      `insert into orders (idempotency_key, customer, item, cents, charge_id) values ($1, $2, $3, $4, $5)
       on conflict (idempotency_key) do nothing`,
      [sameOrder, customer, item, cents, paid.id],
    );
    const { rows } = await env.db.query('select id, charge_id from orders where idempotency_key = $1', [sameOrder]);
    return Response.json({ order: { id: rows[0]!.id, customer, item, cents, charge: rows[0]!.charge_id } }, { status: 201 });
  },
};
