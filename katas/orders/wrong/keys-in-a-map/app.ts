// Known-wrong: the provider gets an idempotency key, so a repeated charge is not charged twice, but the answers
// given to each Idempotency-Key are kept in a Map: a repeat that reaches another process (or the same one after
// a restart) records the order a second time.
import type { Env } from 'dojo';
import { charge } from './payments.ts';

const answers = new Map<string, unknown>();

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
    if (answers.has(key)) return Response.json(answers.get(key), { status: 201 });

    const { customer, item, cents } = await request.json();
    const paid = await charge(env, { customer, amount: cents, idempotencyKey: `order:${key}` });
    const { rows } = await env.db.query(
      'insert into orders (customer, item, cents, charge_id) values ($1, $2, $3, $4) returning id',
      [customer, item, cents, paid.id],
    );
    const answer = { order: { id: rows[0]!.id, customer, item, cents, charge: paid.id } };
    answers.set(key, answer);
    return Response.json(answer, { status: 201 });
  },
};
