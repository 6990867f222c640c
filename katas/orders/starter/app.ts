// A shop's orders: POST /orders charges the customer through the payment provider, then records the order.
// A client that gets no answer sends the order again with the same Idempotency-Key header; each process
// remembers, in a Map, the answers it gave to the keys it has seen.
import type { Env } from 'dojo';
import { charge } from './payments.ts';

const answers = new Map<string, unknown>(); // Idempotency-Key → the answer already given for it

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
    if (answers.has(key)) return Response.json(answers.get(key), { status: 201 }); // seen it: same answer

    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents });
    const { rows } = await env.db.query(
      'insert into orders (customer, item, cents, charge_id) values ($1, $2, $3, $4) returning id',
      [customer, item, cents, paid.id],
    );
    const answer = { order: { id: rows[0]!.id, customer, item, cents, charge: paid.id } };
    answers.set(key, answer);
    return Response.json(answer, { status: 201 });
  },
};
