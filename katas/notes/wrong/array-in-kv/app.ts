// Wrong: the whole list of notes is one JSON array in the key-value store. Each write reads the
// array, adds a note with the next id, and writes the array back: two writes at the same moment
// read the same array, and the second one written wins, losing the first note (and its id comes
// round again).
import type { Env } from 'dojo';

type Note = { id: number; text: string };
const json = (data: unknown, status = 200) => Response.json(data, { status });

async function load(env: Env): Promise<Note[]> {
  return JSON.parse((await env.kv.get('notes')) ?? '[]');
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const notes = await load(env);
      const note = { id: Math.max(0, ...notes.map((n) => n.id)) + 1, text };
      await env.kv.set('notes', JSON.stringify([...notes, note]));
      return json(note, 201);
    }
    if (pathname === '/notes' && request.method === 'GET') return json({ notes: await load(env) });
    if (Number.isInteger(id) && request.method === 'GET') {
      const note = (await load(env)).find((n) => n.id === id);
      return note ? json(note) : json({ error: `no note ${id}` }, 404);
    }
    if (Number.isInteger(id) && request.method === 'DELETE') {
      const notes = await load(env);
      if (!notes.some((n) => n.id === id)) return json({ error: `no note ${id}` }, 404);
      await env.kv.set('notes', JSON.stringify(notes.filter((n) => n.id !== id)));
      return new Response(null, { status: 204 });
    }
    return json({ error: 'not found' }, 404);
  },
};
