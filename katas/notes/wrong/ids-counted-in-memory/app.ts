// Wrong: the notes are in the database, but each process hands out ids from a counter of its
// own, which it starts from the highest id in the table when it boots. Two processes that booted
// together both hand out the same next id.
import type { Env } from 'dojo';

let lastId = 0; // the last id this process handed out

const json = (data: unknown, status = 200) => Response.json(data, { status });

export default {
  // Each process makes sure the table exists before it serves (the statement is idempotent).
  async start(env: Env): Promise<void> {
    await env.db.exec('create table if not exists notes (id integer primary key, text text not null)');
    // Carry on from the highest id so far.
    const { rows } = await env.db.query<{ max: number | null }>('select max(id) as max from notes');
    lastId = Number(rows[0]?.max ?? 0);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const note = { id: ++lastId, text }; // this process's next id
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
