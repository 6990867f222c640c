// Known-wrong variant (id-then-append): a message's id comes from a counter in the store (INCR), then
// the message is appended to a list and published, in three calls. Two messages posted at once on two
// processes can be appended and published in the other order than their ids: a listener then gets a
// higher id before a lower one, and resuming from its last id sends it a message twice.
import type { Env } from 'dojo';

const encoder = new TextEncoder();
const listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();

interface Message { id: number; text: string }

function event(message: Message): Uint8Array {
  return encoder.encode(`id: ${message.id}\ndata: ${message.text}\n\n`);
}

export default {
  async start(env: Env): Promise<void> {
    await env.kv.subscribe('chat', (raw) => {
      const message = JSON.parse(raw) as Message;
      for (const controller of listeners) controller.enqueue(event(message));
    });
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = (await request.json()) as { text?: string };
      if (typeof text !== 'string' || text === '') return Response.json({ error: 'send { "text": "…" }' }, { status: 400 });
      const id = await env.kv.incr('chat:id');
      const message = JSON.stringify({ id, text });
      await env.kv.rpush('chat:log', message);
      await env.kv.publish('chat', message);
      return Response.json({ id: String(id) }, { status: 201 });
    }
    if (request.method === 'GET' && pathname === '/stream') {
      const header = request.headers.get('last-event-id');
      const log = header === null ? [] : (await env.kv.lrange('chat:log', 0, -1)).map((raw) => JSON.parse(raw) as Message);
      const missed = log.filter((message) => message.id > Number(header));
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode('retry: 1000\n\n'));
          for (const message of missed) controller.enqueue(event(message));
          listeners.add(controller);
        },
        cancel() { listeners.delete(me); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }
    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
