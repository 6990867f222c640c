// Pub/sub through the key-value store: a message published by one process reaches every subscribed process.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable } from '../../../src/engine/core/trace.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** A chat room's fan-out done right: each process keeps its own listeners, the broker carries messages between them. */
const broker = `
import type { Env } from 'dojo';
const seen: string[] = [];
export default {
  async start(env: Env) {
    await env.kv.subscribe('room', (message) => { seen.push(message); });
  },
  async fetch(request: Request, env: Env) {
    if (request.method === 'POST') {
      const receivers = await env.kv.publish('room', await request.text());
      return Response.json({ receivers });
    }
    return Response.json(seen);
  },
};`;

/** The same room with an in-process EventEmitter: only listeners in the same process hear a message. */
const inProcess = `
const listeners: ((message: string) => void)[] = [];
const seen: string[] = [];
listeners.push((message) => seen.push(message));
export default {
  async fetch(request: Request) {
    if (request.method === 'POST') {
      const text = await request.text();
      for (const listener of listeners) listener(text);
      return Response.json({ receivers: listeners.length });
    }
    return Response.json(seen);
  },
};`;

async function everyProcessSees(app: string, seed = 1) {
  const views: Record<string, string[]> = {};
  let receivers = 0;
  const run = await runApp(host, app, async ({ cluster, client }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    receivers = (await browser.post('/', { body: 'hello' })).json().receivers;
    for (let i = 0; i < 3; i++) {
      const res = await browser.get('/');
      views[res.servedBy] = res.json();
    }
  }, { seed });
  expect(run.result.status, dump(run.result)).toBe('pass');
  return { views, receivers, events: run.events };
}

describe('pub/sub', () => {
  it('a message published by one process reaches every subscribed process, and PUBLISH says how many', async () => {
    const { views, receivers } = await everyProcessSees(broker);
    expect(receivers).toBe(3);
    expect(views).toEqual({ 'web.1': ['hello'], 'web.2': ['hello'], 'web.3': ['hello'] });
  });

  it('an in-process emitter reaches only the process that got the request', async () => {
    const { views } = await everyProcessSees(inProcess);
    expect(Object.values(views).filter((seen) => seen.length > 0)).toHaveLength(1);
  });

  it('a subscription ends with its process: after a restart without subscribing again, nothing arrives', async () => {
    const app = `
import type { Env } from 'dojo';
let seen = 0;
let booted = false;
export default {
  async fetch(request: Request, env: Env) {
    if (request.method === 'PUT') { await env.kv.subscribe('news', () => { seen += 1; }); return new Response('subscribed'); }
    if (request.method === 'POST') return Response.json({ receivers: await env.kv.publish('news', 'x') });
    return Response.json({ seen });
  },
};`;
    const counts: number[] = [];
    const { result, events } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      await browser.put('/');
      counts.push((await browser.post('/')).json().receivers);
      await cluster.restart('web.1');
      counts.push((await browser.post('/')).json().receivers);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(counts).toEqual([1, 0]);
    expect(eventsOf(events, 'call').map((event) => event.method)).toEqual(['subscribe', 'publish', 'publish']);
  });

  it('a test can publish to the processes, and subscribe to what they publish', async () => {
    const heard: string[] = [];
    let views: unknown;
    const { result } = await runApp(host, broker, async ({ cluster, client, services }) => {
      await cluster.start({ web: 2 });
      await services.kv.subscribe('room', (message) => heard.push(message));
      const receivers = await services.kv.publish('room', 'from the test');
      if (receivers !== 3) throw new Error(`expected 3 receivers (2 processes and the test), got ${receivers}`);
      await client().post('/', { body: 'from web' });
      cluster.balance('round-robin');
      const browser = client();
      views = [(await browser.get('/')).json(), (await browser.get('/')).json()];
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(views).toEqual([['from the test', 'from web'], ['from the test', 'from web']]);
    expect(heard).toEqual(['from the test', 'from web']);
  });

  it('the same seed gives the same trace', async () => {
    const first = await everyProcessSees(broker, 7);
    const again = await everyProcessSees(broker, 7);
    expect(replayable(again.events)).toEqual(replayable(first.events));
  });
});
