// Wrong: the notes are in the database, and each new note's id is the number of notes plus one.
// That holds until a note is deleted: then the next new note takes the id of an existing one.
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
      // One statement, so concurrent writes can't collide... but the id is "how many notes there are, plus one".
      const { rows } = await env.db.query(
        'insert into notes (id, text) select count(*) + 1, $1 from notes returning id, text', [text]);
      return json(rows[0], 201);
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
