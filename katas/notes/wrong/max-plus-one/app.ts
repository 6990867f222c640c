// Wrong: the notes are in the database, and the next id is the highest one plus one, read
// first and written second. Two notes written at the same moment both read the same highest id.
import type { Env } from 'dojo';

const json = (data: unknown, status = 200) => Response.json(data, { status });

export default {
  // Each process makes sure the table exists before it serves (the statement is idempotent).
  async start(env: Env): Promise<void> {
    await env.db.exec('create table if not exists notes (id integer not null, text text not null)');
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const { rows: [top] } = await env.db.query<{ max: number | null }>('select max(id) as max from notes');
      const note = { id: Number(top?.max ?? 0) + 1, text }; // the next id after the highest
      await env.db.query('insert into notes (id, text) values ($1, $2)', [note.id, note.text]);
      return json(note, 201);
    }
    if (pathname === '/notes' && request.method === 'GET') {
      const { rows } = await env.db.query('select id, text from notes order by id'); // oldest first
      return json({ notes: rows });
    }
    if (Number.isInteger(id) && request.method === 'GET') {
      const { rows } = await env.db.query('select id, text from notes where id = $1', [id]);
      return rows[0] ? json(rows[0]) : json({ error: `no note ${id}` }, 404);
    }
    if (Number.isInteger(id) && request.method === 'DELETE') {
      const { affectedRows } = await env.db.query('delete from notes where id = $1', [id]);
      return affectedRows ? new Response(null, { status: 204 }) : json({ error: `no note ${id}` }, 404);
    }
    return json({ error: 'not found' }, 404);
  },
};
