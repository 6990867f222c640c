// Known-wrong variant (pubsub-only): every message goes through pub/sub to every process, but nothing
// is kept: a listener that was away when a message was published never gets it.
import type { Env } from 'dojo';

const encoder = new TextEncoder();
const listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();

export default {
  async start(env: Env): Promise<void> {
    await env.kv.subscribe('chat', (raw) => {
      const { id, text } = JSON.parse(raw) as { id: number; text: string };
      for (const controller of listeners) controller.enqueue(encoder.encode(`id: ${id}\ndata: ${text}\n\n`));
    });
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = (await request.json()) as { text?: string };
      if (typeof text !== 'string' || text === '') return Response.json({ error: 'send { "text": "…" }' }, { status: 400 });
      const id = await env.kv.incr('chat:id');
      await env.kv.publish('chat', JSON.stringify({ id, text }));
      return Response.json({ id: String(id) }, { status: 201 });
    }
    if (request.method === 'GET' && pathname === '/stream') {
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode('retry: 1000\n\n'));
          listeners.add(controller);
        },
        cancel() { listeners.delete(me); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }
    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
