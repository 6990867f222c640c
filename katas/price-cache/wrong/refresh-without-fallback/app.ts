// Known-wrong: every process reloads all prices every 5 seconds, which keeps copies fresh enough, but it answers
// 404 for any item its copy lacks: an item added since the last reload "does not exist" until the next one.
import type { Env } from 'dojo';
import { setInterval } from 'node:timers';

let prices = new Map<string, number>();

async function reload(env: Env): Promise<void> {
  const { rows } = await env.db.query('select item, cents from prices');
  prices = new Map(rows.map((row) => [row.item as string, row.cents as number]));
}

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists prices (item text primary key, cents integer not null);
      insert into prices (item, cents) values ('green-tea', 450), ('lemon-cake', 380), ('matcha', 620)
      on conflict (item) do nothing`);
    await reload(env);
    setInterval(() => void reload(env), 5_000);
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
      prices.set(item, cents);
      return Response.json({ item, cents });
    }

    const cents = prices.get(item);
    if (cents === undefined) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
