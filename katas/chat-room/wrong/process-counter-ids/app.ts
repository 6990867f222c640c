// Known-wrong variant (process-counter-ids): messages are kept in a list in the store and relayed
// through pub/sub, but the event id is this process's count of the messages it relayed, read back as
// a position in the list. On a process that started later, or restarted, the count is not the position.
import type { Env } from 'dojo';

const encoder = new TextEncoder();
const listeners = new Set<ReadableStreamDefaultController<Uint8Array>>();
let relayed = 0; // messages this process has relayed since it started

function event(id: number, text: string): Uint8Array {
  return encoder.encode(`id: ${id}\ndata: ${text}\n\n`);
}

export default {
  async start(env: Env): Promise<void> {
    await env.kv.subscribe('chat', (text) => {
      relayed += 1;
      for (const controller of listeners) controller.enqueue(event(relayed, text));
    });
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = (await request.json()) as { text?: string };
      if (typeof text !== 'string' || text === '') return Response.json({ error: 'send { "text": "…" }' }, { status: 400 });
      const length = await env.kv.rpush('chat:log', text);
      await env.kv.publish('chat', text);
      return Response.json({ id: String(length) }, { status: 201 });
    }
    if (request.method === 'GET' && pathname === '/stream') {
      const header = request.headers.get('last-event-id');
      // The id is "how many messages the listener has seen": send the rest of the list.
      const missed = header === null ? [] : await env.kv.lrange('chat:log', Number(header), -1);
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode('retry: 1000\n\n'));
          missed.forEach((text, i) => controller.enqueue(event(Number(header) + i + 1, text)));
          listeners.add(controller);
        },
        cancel() { listeners.delete(me); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }
    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
