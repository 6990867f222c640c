// Long-lived responses on whatever host runs them: the unit tests run this in Node, /engine-check/ (and the browser
// tests) in this browser, and compare: the same chat room, the same seed, the same verdicts and the same streams.
import type { ProcessHost } from '../process/protocol.ts';
import { runTests } from './runner.ts';
import { test } from './index.ts';
import type { EventStream, TestDefinition } from './types.ts';

/**
 * A chat room written the way a learner would: each process keeps its own subscribers in memory and relays every
 * message published through the store; a client that reconnects with Last-Event-ID gets what it missed from a
 * stream log. Also a stream that never sends (`/silent`) and one that writes in a loop (`/flood`).
 */
export const CHAT_APP = `
const encoder = new TextEncoder();
const clients = new Set();

function send(controller, id, text) {
  controller.enqueue(encoder.encode('id: ' + id + '\\ndata: ' + text + '\\n\\n'));
}

export default {
  async start(env) {
    await env.kv.subscribe('room', (raw) => {
      const { id, text } = JSON.parse(raw);
      for (const controller of clients) send(controller, id, text);
    });
  },
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = await request.json();
      const id = await env.kv.xadd('room-log', '*', { text });
      await env.kv.publish('room', JSON.stringify({ id, text }));
      return Response.json({ id }, { status: 201 });
    }
    if (pathname === '/chat/stream') {
      const since = request.headers.get('last-event-id');
      const missed = since ? await env.kv.xrange('room-log', '(' + since, '+') : [];
      let me;
      const body = new ReadableStream({
        start(controller) {
          me = controller;
          controller.enqueue(encoder.encode('retry: 1000\\n\\n'));
          for (const { id, fields } of missed) send(controller, id, fields.text);
          clients.add(controller);
        },
        cancel() { clients.delete(me); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
    }
    if (pathname === '/silent') {
      return new Response(new ReadableStream({ start() {} }), { headers: { 'content-type': 'text/event-stream' } });
    }
    if (pathname === '/flood') {
      const body = new ReadableStream({ pull(controller) { controller.enqueue(encoder.encode('data: more\\n\\n')); } });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return new Response('not found', { status: 404 });
  },
};`;

function streamTests(): TestDefinition[] {
  return [
    test('every client on every process gets every message', async ({ cluster, client, expect }) => {
      await cluster.start({ web: 3 });
      cluster.balance('round-robin');
      const streams: EventStream[] = [];
      for (let i = 0; i < 3; i++) streams.push(await client().events('/chat/stream'));
      for (const text of ['hi', 'hello']) await client().post('/messages', { json: { text } });
      await cluster.idle();
      for (const stream of streams) expect(stream.data(), `the client on ${stream.servedBy}`).toEqual(['hi', 'hello']);
    }),
    test('a client cut off by a kill resumes with Last-Event-ID after its retry delay', async ({ cluster, client, clock, expect }) => {
      await cluster.start({ web: 2 });
      const stream = await client().events('/chat/stream');
      await client().post('/messages', { json: { text: 'one' } });
      await cluster.kill(stream.servedBy);
      expect(stream.state).toBe('connecting');
      await client().post('/messages', { json: { text: 'two' } });
      await clock.advance(1000);
      await client().post('/messages', { json: { text: 'three' } });
      await cluster.idle();
      expect(stream.data()).toEqual(['one', 'two', 'three']);
      expect(stream.connections).toBe(2);
    }),
    test('a stream that never sends does not hold up the clock', async ({ cluster, client, clock, expect }) => {
      await cluster.start({ web: 1 });
      const stream = await client().events('/silent');
      await clock.advance(60_000);
      expect((await client().get('/nothing')).status).toBe(404);
      expect(stream.state).toBe('open');
    }),
    test('a stream that writes in a loop is closed at the cap', async ({ cluster, client, expect }) => {
      await cluster.start({ web: 1 });
      const stream = await client().events('/flood', { reconnect: false });
      await cluster.idle();
      expect(stream.ended?.cause).toBe('limit');
      expect(stream.events.length).toBe(10_000);
    }),
  ];
}

export interface StreamCheckOutcome {
  name: string;
  status: string;
  message: string;
  /** the stream events of its trace, `web.1 open`, `web.2 event id: 1…`, `web.1 close killed`: compared between hosts */
  streams: string[];
}

/** Run the stream tests on `host`. */
export async function runStreamCheck(host: ProcessHost, seed = 1): Promise<StreamCheckOutcome[]> {
  const report = await runTests({ host, files: { 'app.ts': CHAT_APP }, processes: { web: 'app.ts' }, seed, tests: streamTests() });
  return report.results.map((result) => ({
    name: result.name,
    status: result.status,
    message: result.message,
    streams: result.events.flatMap((event) => {
      if (event.kind !== 'stream') return [];
      const detail = event.action === 'close' ? event.cause : event.action === 'event' ? (event.text ?? '').slice(0, 40) : event.path;
      return [`${event.process}.${event.generation} ${event.action} ${detail}`];
    }).slice(0, 200),
  }));
}
