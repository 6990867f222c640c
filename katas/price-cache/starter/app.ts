// A shop's price list: GET /prices/<item> answers an item's price, PUT /prices/<item> changes it.
// The prices live in the database; each process loads them all into a Map when it starts and answers
// from that Map, which it updates when it changes a price itself.
import type { Env } from 'dojo';

const prices = new Map<string, number>(); // item → price in cents, loaded once at start-up

export default {
  async start(env: Env): Promise<void> {
    // The table and the shop's first prices (the statements do nothing when they are already there).
    await env.db.exec(`create table if not exists prices (item text primary key, cents integer not null);
      insert into prices (item, cents) values ('green-tea', 450), ('lemon-cake', 380), ('matcha', 620)
      on conflict (item) do nothing`);
    const { rows } = await env.db.query('select item, cents from prices');
    for (const row of rows) prices.set(row.item as string, row.cents as number);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const item = new URL(request.url).pathname.match(/^\/prices\/([\w-]+)$/)?.[1];
    if (!item) return Response.json({ error: 'not found' }, { status: 404 });

    if (request.method === 'PUT') {
      const { cents } = await request.json();
      if (!Number.isInteger(cents) || cents < 0) return Response.json({ error: 'cents must be a whole number' }, { status: 400 });
      await env.db.query(
        'insert into prices (item, cents) values ($1, $2) on conflict (item) do update set cents = excluded.cents',
        [item, cents],
      );
      prices.set(item, cents); // this process's copy is up to date
      return Response.json({ item, cents });
    }

    const cents = prices.get(item);
    if (cents === undefined) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
