// Visit counter kept in the SQL database: one row, incremented by a single UPDATE, which the
// database runs atomically, so two processes counting at once both get counted. A count that
// must last belongs in a database; a cache may evict it.
import type { Env } from 'dojo';

export default {
  // Every process makes sure the table exists before it answers (the statements are idempotent).
  async start(env: Env): Promise<void> {
    await env.db.exec(`
      create table if not exists counters (name text primary key, value integer not null);
      insert into counters (name, value) values ('visits', 0) on conflict (name) do nothing;
    `);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'GET' && pathname === '/') {
      const { rows } = await env.db.query<{ value: number }>(
        `update counters set value = value + 1 where name = 'visits' returning value`,
      );
      return Response.json({ visits: Number(rows[0]!.value) });
    }

    if (request.method === 'GET' && pathname === '/visits') {
      const { rows } = await env.db.query<{ value: number }>(`select value from counters where name = 'visits'`);
      return Response.json({ visits: Number(rows[0]?.value ?? 0) });
    }

    return new Response('Not found', { status: 404 });
  },
};
