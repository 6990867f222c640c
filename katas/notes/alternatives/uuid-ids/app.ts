// A notes API in the SQL database, with ids made by the app: random UUIDs, which no two
// processes can both make, so no coordination is needed. The order notes were written in
// comes from a sequence the database keeps.
import type { Env } from 'dojo';

const json = (data: unknown, status = 200) => Response.json(data, { status });

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists notes (
      id text primary key,
      text text not null,
      seq bigint generated always as identity
    )`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = pathname.match(/^\/notes\/([\w-]+)$/)?.[1];

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const note = { id: crypto.randomUUID(), text };
      await env.db.query('insert into notes (id, text) values ($1, $2)', [note.id, note.text]);
      return json(note, 201);
    }
    if (pathname === '/notes' && request.method === 'GET') {
      const { rows } = await env.db.query('select id, text from notes order by seq');
      return json({ notes: rows });
    }
    if (id && request.method === 'GET') {
      const { rows } = await env.db.query('select id, text from notes where id = $1', [id]);
      return rows[0] ? json(rows[0]) : json({ error: `no note ${id}` }, 404);
    }
    if (id && request.method === 'DELETE') {
      const { affectedRows } = await env.db.query('delete from notes where id = $1', [id]);
      return affectedRows ? new Response(null, { status: 204 }) : json({ error: `no note ${id}` }, 404);
    }
    return json({ error: 'not found' }, 404);
  },
};
