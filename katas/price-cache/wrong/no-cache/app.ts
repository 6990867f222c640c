// Known-wrong: no cache at all. Every answer is fresh, but every request is a database query: twenty shoppers
// looking at one price at the same moment send twenty identical queries to a slow, shared database.
import type { Env } from 'dojo';

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists prices (item text primary key, cents integer not null);
      insert into prices (item, cents) values ('green-tea', 450), ('lemon-cake', 380), ('matcha', 620)
      on conflict (item) do nothing`);
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
      return Response.json({ item, cents });
    }

    const { rows } = await env.db.query('select cents from prices where item = $1', [item]);
    if (!rows[0]) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents: rows[0].cents });
  },
};
