// Known-wrong variant (no-cursor-until-first-message): right in every way but one: a listener learns its first id
// with its first message. One whose connection drops before that reconnects without a Last-Event-ID, and is
// treated as new: what was posted while it was away is skipped.
// Chat room: POST /messages posts a message to the room; GET /stream is the room's live feed, as
// server-sent events. Every message is appended to a stream in the shared store (the log, whose ids
// are the events' ids), and a pub/sub message wakes every process up to read the log from where its
// listeners are. A listener that reconnects, to any process, resumes from its Last-Event-ID.
import type { Env } from 'dojo';

const LOG = 'chat:log'; // the room's messages, in order, kept for listeners that reconnect
const NEW = 'chat:new'; // a pub/sub channel: "the log has grown", nothing more

const encoder = new TextEncoder();

/**
 * This process's listeners, each with the id of the last message it was sent. Only the connections
 * themselves are here: what they are owed is always read from the log.
 */
const listeners = new Map<ReadableStreamDefaultController<Uint8Array>, string>();

/** Compares two stream ids (`1767225600000-3`) in log order. */
function compareIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-').map(Number);
  const [bMs, bSeq] = b.split('-').map(Number);
  return aMs! - bMs! || aSeq! - bSeq!;
}

/** Sends every listener what the log holds after its last id. One catch-up at a time, so none sends twice. */
let catchingUp: Promise<void> = Promise.resolve();
function catchUp(env: Env): Promise<void> {
  catchingUp = catchingUp.then(() => sendNew(env)).catch((error) => console.error('catch-up failed', error));
  return catchingUp;
}

async function sendNew(env: Env): Promise<void> {
  if (listeners.size === 0) return;
  const oldest = [...listeners.values()].reduce((a, b) => (compareIds(a, b) <= 0 ? a : b));
  const read = await env.kv.xread({ [LOG]: oldest });
  for (const { id, fields } of read?.[0]?.entries ?? []) {
    for (const [controller, last] of listeners) {
      if (compareIds(id, last) <= 0) continue;
      controller.enqueue(encoder.encode(`id: ${id}\ndata: ${fields.text}\n\n`));
      listeners.set(controller, id);
    }
  }
}

/** The id of the newest message in the log ('0-0' when it is empty): where a new listener starts. */
async function newestId(env: Env): Promise<string> {
  const all = await env.kv.xrange(LOG, '-', '+');
  return all.at(-1)?.id ?? '0-0';
}

export default {
  async start(env: Env): Promise<void> {
    // Whichever process a message is posted to, every process hears that the log has grown.
    await env.kv.subscribe(NEW, () => void catchUp(env));
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = (await request.json()) as { text?: string };
      if (typeof text !== 'string' || text === '') return Response.json({ error: 'send { "text": "…" }' }, { status: 400 });
      const id = await env.kv.xadd(LOG, '*', { text });
      await env.kv.publish(NEW, id);
      return Response.json({ id }, { status: 201 });
    }

    if (request.method === 'GET' && pathname === '/stream') {
      // A browser that reconnects sends the id of the last message it got: it is owed everything after it,
      // whichever process it reached. A new one starts from now.
      const lastSeen = request.headers.get('last-event-id') ?? '';
      const since = /^\d+-\d+$/.test(lastSeen) ? lastSeen : await newestId(env);
      let me: ReadableStreamDefaultController<Uint8Array>;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode('retry: 1000\n\n'));
          listeners.set(controller, since);
        },
        cancel() { listeners.delete(me); },
      });
      void catchUp(env); // what it missed while away
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }

    return Response.json({ error: 'not found: POST /messages, GET /stream' }, { status: 404 });
  },
};
