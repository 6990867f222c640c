// Alternative: the provider makes at most one charge per key, so the charge's id identifies the order: the
// database refuses a second order with the same charge (a unique column), and the answer is read back from it.
import type { Env } from 'dojo';
import { charge } from './payments.ts';

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists orders (
      id integer generated always as identity primary key,
      customer text not null,
      item text not null,
      cents integer not null,
      charge_id text not null unique
    )`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== '/orders' || request.method !== 'POST') {
      return Response.json({ error: 'not found' }, { status: 404 });
    }
    const key = request.headers.get('idempotency-key');
    if (!key) return Response.json({ error: 'send an Idempotency-Key header' }, { status: 400 });
    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${key}` });
    await env.db.query(
      `insert into orders (customer, item, cents, charge_id) values ($1, $2, $3, $4)
       on conflict (charge_id) do nothing`,
      [customer, item, cents, paid.id],
    );
    const { rows } = await env.db.query('select id from orders where charge_id = $1', [paid.id]);
    return Response.json({ order: { id: rows[0]!.id, customer, item, cents, charge: paid.id } }, { status: 201 });
  },
};
