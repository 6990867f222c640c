// Known-wrong variant (timestamp-ids): messages are kept in a list in the store and relayed through
// pub/sub, and a message's id is the time it was posted. Time is not a place in the log: messages
// posted in the same millisecond share an id, so resuming "from that millisecond" sends some twice
// (and resuming "after it" would skip some).
import type { Env } from 'dojo';

const encoder = new TextEncoder();
const listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();

interface Message { at: number; text: string }

function event(message: Message): Uint8Array {
  return encoder.encode(`id: ${message.at}\ndata: ${message.text}\n\n`);
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
      const message = JSON.stringify({ at: Date.now(), text });
      await env.kv.rpush('chat:log', message);
      await env.kv.publish('chat', message);
      return Response.json({ id: String(Date.now()) }, { status: 201 });
    }
    if (request.method === 'GET' && pathname === '/stream') {
      const since = Number(request.headers.get('last-event-id') ?? Date.now());
      const log = (await env.kv.lrange('chat:log', 0, -1)).map((raw) => JSON.parse(raw) as Message);
      // From the same millisecond on, so that nothing posted at the same time is lost.
      const missed = log.filter((message) => message.at >= since);
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode(`retry: 1000\nid: ${since}\n\n`));
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
