// Wrong: the notes are in the database, but each process keeps the notes it has read in a Map,
// to save a query. Deleting a note removes it from the database and from this process's Map; the
// other processes go on serving their copy.
import type { Env } from 'dojo';

const cache = new Map<number, { id: number; text: string }>(); // notes this process has read

const json = (data: unknown, status = 200) => Response.json(data, { status });

export default {
  // Each process makes sure the table exists before it serves (the statement is idempotent).
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists notes (
      id integer generated always as identity primary key,
      text text not null
    )`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      // One statement: the database picks the id and stores the note together.
      const { rows } = await env.db.query('insert into notes (text) values ($1) returning id, text', [text]);
      return json(rows[0], 201);
    }
    if (pathname === '/notes' && request.method === 'GET') {
      const { rows } = await env.db.query('select id, text from notes order by id'); // oldest first
      return json({ notes: rows });
    }
    if (Number.isInteger(id) && request.method === 'GET') {
      const cached = cache.get(id);
      if (cached) return json(cached);
      const { rows } = await env.db.query<{ id: number; text: string }>('select id, text from notes where id = $1', [id]);
      if (rows[0]) cache.set(id, rows[0]);
      return rows[0] ? json(rows[0]) : json({ error: `no note ${id}` }, 404);
    }
    if (Number.isInteger(id) && request.method === 'DELETE') {
      const { affectedRows } = await env.db.query('delete from notes where id = $1', [id]);
      cache.delete(id); // ...on this process
      return affectedRows ? new Response(null, { status: 204 }) : json({ error: `no note ${id}` }, 404);
    }
    return json({ error: 'not found' }, 404);
  },
};
