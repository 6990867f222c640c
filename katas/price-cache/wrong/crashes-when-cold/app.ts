// Known-wrong: the prices are copied into the key-value store at start-up, with no expiry, and read from there
// only; a PUT writes both. It assumes the store still holds every price: once it loses them (a restart of the
// cache server, keys evicted for memory), every request fails.
import type { Env } from 'dojo';

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists prices (item text primary key, cents integer not null);
      insert into prices (item, cents) values ('green-tea', 450), ('lemon-cake', 380), ('matcha', 620)
      on conflict (item) do nothing`);
    const { rows } = await env.db.query('select item, cents from prices');
    await env.kv.mset(Object.fromEntries(rows.map((row) => [`price:${row.item}`, JSON.stringify({ cents: row.cents })])));
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
      await env.kv.set(`price:${item}`, JSON.stringify({ cents }));
      return Response.json({ item, cents });
    }

    const { cents } = JSON.parse((await env.kv.get(`price:${item}`))!); // the store always has it, surely
    return Response.json({ item, cents });
  },
};
