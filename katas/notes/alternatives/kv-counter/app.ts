// A notes API in the key-value store: the store hands out ids with an atomic counter, and keeps
// the notes in one hash (id → text). A store that keeps its data (not a cache that may evict it)
// is a stateful backing service too.
import type { Env } from 'dojo';

const json = (data: unknown, status = 200) => Response.json(data, { status });

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const note = { id: await env.kv.incr('notes:last-id'), text };
      await env.kv.hset('notes', String(note.id), text);
      return json(note, 201);
    }
    if (pathname === '/notes' && request.method === 'GET') {
      const all = Object.entries(await env.kv.hgetall('notes')).map(([key, text]) => ({ id: Number(key), text }));
      return json({ notes: all.sort((a, b) => a.id - b.id) });
    }
    if (Number.isInteger(id) && request.method === 'GET') {
      const text = await env.kv.hget('notes', String(id));
      return text === null ? json({ error: `no note ${id}` }, 404) : json({ id, text });
    }
    if (Number.isInteger(id) && request.method === 'DELETE') {
      return (await env.kv.hdel('notes', String(id))) ? new Response(null, { status: 204 }) : json({ error: `no note ${id}` }, 404);
    }
    return json({ error: 'not found' }, 404);
  },
};
