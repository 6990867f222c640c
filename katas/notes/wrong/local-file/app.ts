// Wrong: the notes are kept in a JSON file on local disk, so they outlive a request and even
// look durable on one machine. But each process has a disk of its own, and a restart or a deploy
// gives it a new, empty one.
import type { Env } from 'dojo';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

type Note = { id: number; text: string };
const FILE = './notes.json';
const json = (data: unknown, status = 200) => Response.json(data, { status });
const load = (): { lastId: number; notes: Note[] } => (existsSync(FILE) ? JSON.parse(readFileSync(FILE, 'utf8')) : { lastId: 0, notes: [] });

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const id = Number(pathname.match(/^\/notes\/(\d+)$/)?.[1] ?? NaN);
    const data = load();

    if (pathname === '/notes' && request.method === 'POST') {
      const { text } = await request.json();
      if (typeof text !== 'string' || !text.trim()) return json({ error: 'text is required' }, 400);
      const note = { id: data.lastId + 1, text };
      writeFileSync(FILE, JSON.stringify({ lastId: note.id, notes: [...data.notes, note] }));
      return json(note, 201);
    }
    if (pathname === '/notes' && request.method === 'GET') return json({ notes: data.notes });
    if (Number.isInteger(id) && request.method === 'GET') {
      const note = data.notes.find((n) => n.id === id);
      return note ? json(note) : json({ error: `no note ${id}` }, 404);
    }
    if (Number.isInteger(id) && request.method === 'DELETE') {
      if (!data.notes.some((n) => n.id === id)) return json({ error: `no note ${id}` }, 404);
      writeFileSync(FILE, JSON.stringify({ ...data, notes: data.notes.filter((n) => n.id !== id) }));
      return new Response(null, { status: 204 });
    }
    return json({ error: 'not found' }, 404);
  },
};
