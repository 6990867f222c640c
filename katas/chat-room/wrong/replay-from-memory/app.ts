// Known-wrong variant (replay-from-memory): pub/sub reaches every process, ids come from the store, and
// every process keeps what it heard in memory to replay to reconnecting listeners. A process only has
// what it heard since it started: after a deploy, nobody has what was posted before.
import type { Env } from 'dojo';

const encoder = new TextEncoder();
const listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();
const heard: { id: number; text: string }[] = [];

function event(message: { id: number; text: string }): Uint8Array {
  return encoder.encode(`id: ${message.id}\ndata: ${message.text}\n\n`);
}

export default {
  async start(env: Env): Promise<void> {
    await env.kv.subscribe('chat', (raw) => {
      const message = JSON.parse(raw) as { id: number; text: string };
      heard.push(message);
      for (const controller of listeners) controller.enqueue(event(message));
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
      const since = Number(request.headers.get('last-event-id') ?? Infinity);
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode('retry: 1000\n\n'));
          for (const message of heard) if (message.id > since) controller.enqueue(event(message));
          listeners.add(controller);
        },
        cancel() { listeners.delete(me); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }
    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
