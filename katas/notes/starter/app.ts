// A notes API: write a note, list them, read one, delete one. The notes, and the next id to
// hand out, are kept in this process's memory.
import type { Env } from 'dojo';

type Note = { id: number; text: string };

const notes: Note[] = [];
let lastId = 0;

const json = (data: unknown, status = 200) => Response.json(data, { status });

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const note = { id: ++lastId, text };
      notes.push(note);
      return json(note, 201);
    }
    if (pathname === '/notes' && request.method === 'GET') return json({ notes }); // oldest first

    if (Number.isInteger(id) && request.method === 'GET') {
      const note = notes.find((n) => n.id === id);
      return note ? json(note) : json({ error: `no note ${id}` }, 404);
    }
    if (Number.isInteger(id) && request.method === 'DELETE') {
      const at = notes.findIndex((n) => n.id === id);
      if (at === -1) return json({ error: `no note ${id}` }, 404);
      notes.splice(at, 1);
      return new Response(null, { status: 204 });
    }
    return json({ error: 'not found' }, 404);
  },
};
