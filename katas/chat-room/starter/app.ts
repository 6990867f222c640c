// Chat room: POST /messages posts a message to the room; GET /stream is the room's live feed, as
// server-sent events (one event per message, its id as the event's id).
import type { Env } from 'dojo';

const encoder = new TextEncoder();

/** A small event emitter, as node:events' EventEmitter: listeners get every message emitted. */
class Emitter<T> {
  #listeners = new Set<(value: T) => void>();
  on(listener: (value: T) => void): void { this.#listeners.add(listener); }
  off(listener: (value: T) => void): void { this.#listeners.delete(listener); }
  emit(value: T): void { for (const listener of this.#listeners) listener(value); }
}

interface Message { id: number; text: string }

const room = new Emitter<Message>();
// Every message posted so far, for browsers that reconnect (they send the last id they saw).
const history: Message[] = [];
let lastId = 0;

function event(message: Message): Uint8Array {
  return encoder.encode(`id: ${message.id}\ndata: ${message.text}\n\n`);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = (await request.json()) as { text?: string };
      if (typeof text !== 'string' || text === '') return Response.json({ error: 'send { "text": "…" }' }, { status: 400 });
      const message = { id: ++lastId, text };
      history.push(message);
      room.emit(message);
      return Response.json({ id: String(message.id) }, { status: 201 });
    }

    if (request.method === 'GET' && pathname === '/stream') {
      // A browser that reconnects says which message it saw last: send what it missed first.
      const since = Number(request.headers.get('last-event-id') ?? lastId);
      let listener: (message: Message) => void;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('retry: 1000\n\n'));
          for (const message of history) if (message.id > since) controller.enqueue(event(message));
          listener = (message) => controller.enqueue(event(message));
          room.on(listener);
        },
        cancel() { room.off(listener); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }

    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
