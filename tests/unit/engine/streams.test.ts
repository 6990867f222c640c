// Long-lived responses (server-sent events): a process streams a body as things happen; the clock, kills, stops,
// caps and replays treat it as platforms do, and tests read it as a browser's EventSource would.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable } from '../../../src/engine/core/trace.ts';
import { story } from '../../../src/engine/core/story.ts';
import { SseParser, type ServerSentEvent } from '../../../src/engine/testing/sse.ts';
import type { EventStream } from '../../../src/engine/testing/types.ts';
import { CHAT_APP, runStreamCheck } from '../../../src/engine/testing/stream-check.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

// The chat room (a learner's: subscribers in memory, relayed through pub/sub, resumed from a stream log) is the
// one the browser host is checked with.
const CHAT = CHAT_APP;

describe('a chat room across processes', () => {
  it('every client on every process gets every message, whichever process it was posted to', async () => {
    const heard: string[][] = [];
    const { result } = await runApp(host, CHAT, async (ctx) => {
      await ctx.cluster.start({ web: 3 });
      ctx.cluster.balance('round-robin');
      const streams: EventStream[] = [];
      for (let i = 0; i < 3; i++) streams.push(await ctx.client().events('/chat/stream'));
      ctx.expect(new Set(streams.map((s) => s.servedBy)).size, 'round-robin spreads the clients').toBe(3);
      for (const text of ['hi', 'hello', 'hey']) await ctx.client().post('/messages', { json: { text } });
      await ctx.cluster.idle();
      for (const stream of streams) heard.push(stream.data());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(heard).toEqual([['hi', 'hello', 'hey'], ['hi', 'hello', 'hey'], ['hi', 'hello', 'hey']]);
  });
});

// The same room done wrong: a message goes to the clients of the process it was posted to, and no further.
const LOCAL_ONLY_CHAT = `
const encoder = new TextEncoder();
const clients = new Set();
export default {
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/messages') {
      const { text } = await request.json();
      for (const controller of clients) controller.enqueue(encoder.encode('data: ' + text + '\\n\\n'));
      return Response.json({ ok: true }, { status: 201 });
    }
    let me;
    const body = new ReadableStream({ start(c) { me = c; clients.add(c); }, cancel() { clients.delete(me); } });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  },
};`;

describe('a chat room on server-sent events', () => {
  it('a room that only tells its own process\'s clients loses messages for everyone connected elsewhere', async () => {
    const heard: string[][] = [];
    const { result } = await runApp(host, LOCAL_ONLY_CHAT, async (ctx) => {
      await ctx.cluster.start({ web: 2 });
      ctx.cluster.balance('round-robin');
      const streams = [await ctx.client().events('/chat/stream'), await ctx.client().events('/chat/stream')];
      await ctx.client().post('/messages', { json: { text: 'hi' } });
      await ctx.cluster.idle();
      for (const stream of streams) heard.push(stream.data());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(heard.map((data) => data.length).sort()).toEqual([0, 1]);
  });

  it('a client cut off by a kill reconnects after the stream\'s retry delay, sends Last-Event-ID, and gets what it missed from the stream log', async () => {
    let stream: EventStream | undefined;
    let whileAway: { state: string; cause?: string } | undefined;
    const { result, events } = await runApp(host, CHAT, async (ctx) => {
      await ctx.cluster.start({ web: 2 });
      ctx.cluster.balance('round-robin');
      stream = await ctx.client().events('/chat/stream');
      await ctx.client().post('/messages', { json: { text: 'one' } });
      await ctx.cluster.kill(stream.servedBy);
      whileAway = { state: stream.state, cause: stream.ended?.cause };
      await ctx.client().post('/messages', { json: { text: 'two' } }); // posted while it is away
      await ctx.clock.advance(999);
      ctx.expect(stream.connections, 'it waits the retry delay before reconnecting').toBe(1);
      await ctx.clock.advance(1);
      await ctx.client().post('/messages', { json: { text: 'three' } });
      await ctx.cluster.idle();
    }, { seed: 3 });
    expect(result.status, dump(result)).toBe('pass');
    expect(whileAway).toEqual({ state: 'connecting', cause: 'killed' });
    expect(stream!.data()).toEqual(['one', 'two', 'three']);
    expect(stream!.connections).toBe(2);
    expect(stream!.state).toBe('open');
    expect(eventsOf(events, 'stream').filter((e) => e.action === 'close').map((e) => e.cause)).toEqual(['killed']);
    const reconnect = eventsOf(events, 'request').filter((e) => e.path === '/chat/stream')[1]!;
    expect(reconnect.at - eventsOf(events, 'kill')[0]!.at).toBe(1000);
    expect(story(events).join('\n')).toMatch(/The stream of GET \/chat\/stream was cut when web\.\d was killed: its client has to reconnect\./);
  });

  it('a client that hangs up has its stream cancelled in the app: the app\'s cancel() runs and forgets it', async () => {
    let counts: number[] = [];
    const app = CHAT.replace(`return new Response('not found', { status: 404 });`, `if (pathname === '/count') return Response.json(clients.size);\n    return new Response('not found', { status: 404 });`);
    const { result, events } = await runApp(host, app, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      const stream = await ctx.client().events('/chat/stream');
      counts.push((await ctx.client().get('/count')).json());
      await stream.close();
      counts.push((await ctx.client().get('/count')).json());
      ctx.expect(stream.state).toBe('closed');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(counts).toEqual([1, 0]);
    expect(eventsOf(events, 'stream').map((e) => `${e.action} ${e.cause ?? ''}`.trim())).toEqual(['open', 'event', 'close client']);
  });
});

// A clock that ticks to its clients every second (a setInterval per stream), and says goodbye when the process stops.
const TICKER = `
const encoder = new TextEncoder();
const open = new Set();
export default {
  async stop() {
    for (const controller of open) controller.enqueue(encoder.encode('event: bye\\ndata: shutting down\\n\\n'));
  },
  async fetch(request) {
    const { pathname } = new URL(request.url);
    if (pathname === '/silent') {
      return new Response(new ReadableStream({ start() {} }), { headers: { 'content-type': 'text/event-stream' } });
    }
    if (pathname === '/ticks') {
      let timer, me;
      const body = new ReadableStream({
        start(controller) {
          me = controller;
          open.add(controller);
          let n = 0;
          timer = setInterval(() => controller.enqueue(encoder.encode('data: tick ' + (++n) + '\\n\\n')), 1000);
        },
        cancel() { clearInterval(timer); open.delete(me); },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    if (pathname === '/finite') {
      const body = new ReadableStream({
        start(controller) {
          for (const part of ['a', 'b', 'c']) controller.enqueue(encoder.encode(part));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/plain' } });
    }
    return new Response('ok');
  },
};`;

describe('streams on the virtual clock', () => {
  it('a stream that never sends anything does not hold up the clock, nor other requests, and its process is not judged stuck', async () => {
    let answer = '';
    let stream: EventStream | undefined;
    const { result, events } = await runApp(host, TICKER, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      stream = await ctx.client().events('/silent');
      await ctx.clock.advance(60_000);
      answer = (await ctx.client().get('/')).text();
    }, { limits: { idleTimeoutMs: 50 } });
    expect(result.status, dump(result)).toBe('pass');
    expect(answer).toBe('ok');
    expect(stream!.state).toBe('open');
    expect(stream!.events).toEqual([]);
    expect(eventsOf(events, 'crash')).toEqual([]);
  });

  it('events a timer sends arrive as the clock moves, one per second of virtual time', async () => {
    const seen: string[][] = [];
    const { result } = await runApp(host, TICKER, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      const stream = await ctx.client().events('/ticks');
      seen.push(stream.data());
      await ctx.clock.advance(3000);
      seen.push(stream.data());
      await stream.close();
      await ctx.clock.advance(5000); // its interval was cleared by cancel(): nothing more
      seen.push(stream.data());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([[], ['tick 1', 'tick 2', 'tick 3'], ['tick 1', 'tick 2', 'tick 3']]);
  });

  it('a graceful stop lets the stop hook send a last event, then closes the stream once the shutdown is over', async () => {
    let stream: EventStream | undefined;
    const { result, events } = await runApp(host, TICKER, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      stream = await ctx.client().events('/ticks', { reconnect: false });
      await ctx.cluster.restart('web.1');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stream!.events).toEqual([{ event: 'bye', data: 'shutting down', id: '' }]);
    expect(stream!.state).toBe('closed');
    expect(stream!.ended?.cause).toBe('stopped');
    const order = events.filter((e) => e.kind === 'stream' || e.kind === 'stop').map((e) => e.kind === 'stream' ? `${e.action} ${e.cause ?? ''}`.trim() : e.kind);
    expect(order).toEqual(['open', 'event', 'close stopped', 'stop']);
    expect(story(events).join('\n')).toMatch(/The platform closed the stream of GET \/ticks once web\.1's shutdown was over: its client has to reconnect\.\nweb\.1 restarted/);
  });

  it('an ordinary GET of a stream reads what was sent by the time the cluster is quiet, then hangs up; a stream that ends reads whole', async () => {
    let ticks = '';
    let finite = '';
    const { result, events } = await runApp(host, TICKER, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      ticks = (await ctx.client().get('/silent')).text();
      finite = (await ctx.client().get('/finite')).text();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(ticks).toBe('');
    expect(finite).toBe('abc');
    expect(eventsOf(events, 'stream').filter((e) => e.action === 'close').map((e) => e.cause)).toEqual(['client', 'app']);
  });
});

describe('streams written the way frameworks write them', () => {
  it('a stream written through a TransformStream and a TextEncoderStream (as Hono\'s streamSSE does) relays messages like one fed directly', async () => {
    const app = `
const writers = new Set();
export default {
  async start(env) {
    await env.kv.subscribe('room', (text) => { for (const writer of writers) void writer.write('data: ' + text + '\\n\\n'); });
  },
  async fetch(request, env) {
    if (request.method === 'POST') {
      await env.kv.publish('room', await request.text());
      return new Response(null, { status: 204 });
    }
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    writers.add(writer);
    return new Response(readable.pipeThrough(new TextEncoderStream()), { headers: { 'content-type': 'text/event-stream' } });
  },
};`;
    const heard: string[][] = [];
    const { result } = await runApp(host, app, async (ctx) => {
      await ctx.cluster.start({ web: 2 });
      ctx.cluster.balance('round-robin');
      const streams = [await ctx.client().events('/'), await ctx.client().events('/')];
      for (const text of ['a', 'b', 'c']) await ctx.client().post('/', { body: text });
      await ctx.cluster.idle();
      for (const stream of streams) heard.push(stream.data());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(heard, dump(result)).toEqual([["a", "b", "c"], ["a", "b", "c"]]);
  });
});

describe('hostile streams', () => {
  it('a stream that writes in a loop is closed at the platform\'s cap, with a message that says why, and its process keeps serving', async () => {
    const app = `
const encoder = new TextEncoder();
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === '/flood') {
      const body = new ReadableStream({ pull(controller) { controller.enqueue(encoder.encode('data: more\\n\\n')); } });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return new Response('still here');
  },
};`;
    let stream: EventStream | undefined;
    let after = '';
    const { result, events } = await runApp(host, app, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      stream = await ctx.client().events('/flood', { reconnect: false });
      await ctx.cluster.idle();
      after = (await ctx.client().get('/')).text();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stream!.events).toHaveLength(10_000);
    expect(stream!.ended?.cause).toBe('limit');
    expect(stream!.ended?.reason).toMatch(/the platform closed the stream of GET \/flood on web\.1: it sent more than 10,000 chunks/);
    expect(after).toBe('still here');
    expect(story(events).join('\n')).toMatch(/a long-lived stream should send only when something happens/i);
  });

  it('a stream of strings instead of bytes fails with a message that says what to enqueue', async () => {
    const app = `export default { async fetch() {
      return new Response(new ReadableStream({ start(c) { c.enqueue('data: hi\\n\\n'); } }), { headers: { 'content-type': 'text/event-stream' } });
    } };`;
    let stream: EventStream | undefined;
    const { result } = await runApp(host, app, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      stream = await ctx.client().events('/', { reconnect: false });
      await ctx.cluster.idle();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stream!.ended?.cause).toBe('error');
    expect(stream!.ended?.reason).toMatch(/chunks must be bytes \(a Uint8Array\), got .*enqueue new TextEncoder\(\)\.encode\(text\)/);
  });

  it('an answer that is not an event stream makes the client give up, as EventSource does, saying why', async () => {
    let stream: EventStream | undefined;
    const { result } = await runApp(host, `export default { fetch: () => new Response('nope', { status: 404 }) };`, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      stream = await ctx.client().events('/chat');
      await ctx.clock.advance(10_000);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stream!.state).toBe('closed');
    expect(stream!.connections).toBe(1);
    expect(stream!.ended?.reason).toMatch(/answered 404 with content-type text\/plain.*"nope".*must answer 200 with content-type text\/event-stream/);
  });
});

describe('replay', () => {
  it('the same seed gives the same trace: streams, relayed messages, chaos kills and reconnects', async () => {
    const run = async () => (await runApp(host, CHAT, async (ctx) => {
      await ctx.cluster.start({ web: 3 });
      const streams: EventStream[] = [];
      for (let i = 0; i < 4; i++) streams.push(await ctx.client().events('/chat/stream'));
      ctx.cluster.chaos({ restart: 0.4, kill: true });
      for (let i = 0; i < 6; i++) {
        await ctx.client().post('/messages', { json: { text: `m${i}` }, retry: 3 });
        await ctx.clock.advance(500);
      }
      ctx.cluster.chaos(null);
      await ctx.clock.advance(2000);
    }, { seed: 11 })).events;
    const first = replayable(await run());
    const second = replayable(await run());
    expect(second).toEqual(first);
    const kinds = first.map((event) => `${(event as { kind: string }).kind} ${(event as { action?: string }).action ?? ''}`);
    expect(kinds).toContain('kill ');
    expect(kinds).toContain('stream close');
    expect(kinds.filter((kind) => kind === 'stream event').length).toBeGreaterThan(10);
  });
});

describe('reading an event stream', () => {
  const parse = (...chunks: string[]) => {
    const events: ServerSentEvent[] = [];
    const retries: number[] = [];
    const parser = new SseParser('', (event) => events.push(event), (ms) => retries.push(ms));
    for (const chunk of chunks) parser.push(new TextEncoder().encode(chunk));
    return { events, retries, lastEventId: parser.lastEventId };
  };

  it('joins data lines, names events, keeps the last id, and skips comments, as EventSource does', () => {
    const { events, retries, lastEventId } = parse(': keep-alive\n\nid: 7\nevent: join\ndata: a\ndata: b\n\ndata:c\n\nretry: 250\n\n');
    expect(events).toEqual([{ event: 'join', data: 'a\nb', id: '7' }, { event: 'message', data: 'c', id: '7' }]);
    expect(retries).toEqual([250]);
    expect(lastEventId).toBe('7');
  });

  it('reads lines split across chunks, \\r\\n split between two of them included', () => {
    const { events } = parse('data: he', 'llo\r', '\n\r\ndata: x\r\r\n');
    expect(events.map((event) => event.data)).toEqual(['hello', 'x']);
  });
});

describe('the stream check the browser host is compared with', () => {
  it('passes every test in Node, with the same streams on every run', async () => {
    const first = await runStreamCheck(host);
    expect(first.map((outcome) => `${outcome.name}: ${outcome.status} ${outcome.message}`.trim())).toEqual(first.map((outcome) => `${outcome.name}: pass`));
    expect(await runStreamCheck(host)).toEqual(first);
  });
});
