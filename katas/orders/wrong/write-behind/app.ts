// Known-wrong: every step is safe to repeat (the provider's key, a unique column), but to answer faster the
// orders are written to the database in batches, a second after they are answered, from a buffer in memory. A
// process that stops (a deploy) or dies before the batch is written takes the orders it answered 201 with it.
import type { Env } from 'dojo';
import { setTimeout } from 'node:timers';
import { charge } from './payments.ts';

type Pending = { key: string; customer: string; item: string; cents: number; charge: string };
const buffer: Pending[] = [];
let flushing: ReturnType<typeof setTimeout> | undefined; // the next batch, when one is due

async function flush(env: Env): Promise<void> {
  flushing = undefined;
  for (const order of buffer.splice(0)) {
    await env.db.query(
      `insert into orders (idempotency_key, customer, item, cents, charge_id) values ($1, $2, $3, $4, $5)
       on conflict (idempotency_key) do nothing`,
      [order.key, order.customer, order.item, order.cents, order.charge],
    );
  }
}

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
    setInterval(() => void flush(env), 1_000);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    if (new URL(request.url).pathname !== '/orders' || request.method !== 'POST') {
      return Response.json({ error: 'not found' }, { status: 404 });
    }
    const key = request.headers.get('idempotency-key');
    if (!key) return Response.json({ error: 'send an Idempotency-Key header' }, { status: 400 });
    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${key}` });
    buffer.push({ key, customer, item, cents, charge: paid.id }); // written with the next batch
    flushing ??= setTimeout(() => void flush(env), 1_000);
    return Response.json({ order: { id: key, customer, item, cents, charge: paid.id } }, { status: 201 });
  },
};
