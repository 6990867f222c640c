// Chat room (alternative: a table): every message is a row with a serial id, which is the event's id;
// a pub/sub message wakes every process up to read the rows after its listeners' last ids. A listener
// that reconnects, to any process, resumes from its Last-Event-ID.
import type { Env } from 'dojo';

const NEW = 'chat:new'; // "there are new rows", nothing more
const encoder = new TextEncoder();

/** This process's listeners, each with the id of the last message it was sent. */
const listeners = new Map<ReadableStreamDefaultController<Uint8Array>, number>();

async function ensureTable(env: Env): Promise<void> {
  await env.db.exec('CREATE TABLE IF NOT EXISTS messages (id SERIAL PRIMARY KEY, text TEXT NOT NULL)');
}

/** Sends every listener the rows after its last id, one catch-up at a time so none is sent twice. */
let catchingUp: Promise<void> = Promise.resolve();
function catchUp(env: Env): Promise<void> {
  catchingUp = catchingUp.then(() => sendNew(env)).catch((error) => console.error('catch-up failed', error));
  return catchingUp;
}

async function sendNew(env: Env): Promise<void> {
  if (listeners.size === 0) return;
  const oldest = Math.min(...listeners.values());
  const { rows } = await env.db.query('SELECT id, text FROM messages WHERE id > $1 ORDER BY id', [oldest]);
  for (const row of rows as { id: number; text: string }[]) {
    for (const [controller, last] of listeners) {
      if (row.id <= last) continue;
      controller.enqueue(encoder.encode(`id: ${row.id}\ndata: ${row.text}\n\n`));
      listeners.set(controller, row.id);
    }
  }
}

export default {
  async start(env: Env): Promise<void> {
    await ensureTable(env);
    await env.kv.subscribe(NEW, () => void catchUp(env));
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = (await request.json()) as { text?: string };
      if (typeof text !== 'string' || text === '') return Response.json({ error: 'send { "text": "…" }' }, { status: 400 });
      const { rows } = await env.db.query('INSERT INTO messages (text) VALUES ($1) RETURNING id', [text]);
      const id = Number((rows[0] as { id: number }).id);
      await env.kv.publish(NEW, String(id));
      return Response.json({ id: String(id) }, { status: 201 });
    }

    if (request.method === 'GET' && pathname === '/stream') {
      const lastSeen = Number(request.headers.get('last-event-id') ?? NaN);
      let since = lastSeen;
      if (!Number.isInteger(since)) {
        const { rows } = await env.db.query('SELECT COALESCE(MAX(id), 0) AS id FROM messages', []);
        since = Number((rows[0] as { id: number }).id);
      }
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          // An event with an id and no data sets the browser's Last-Event-ID without showing anything: a
          // listener that drops before its first message still resumes from here, not from "now".
          controller.enqueue(encoder.encode(`retry: 1000\nid: ${since}\n\n`));
          listeners.set(controller, since);
        },
        cancel() { listeners.delete(me); },
      });
      void catchUp(env);
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }

    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
