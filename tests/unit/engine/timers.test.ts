// Virtual timers: work a process starts by itself runs on the test's clock, in seed order, and replays exactly.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable } from '../../../src/engine/core/trace.ts';
import { story } from '../../../src/engine/core/story.ts';
import { dump, eventsOf, runApp, sleep } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

const MINUTE = 60_000;

/** Buffers visits in memory and flushes them to the store every 30 s: the pattern of analytics and log shippers. */
const BUFFERED = `
let buffered = 0;
export default {
  start(env) {
    setInterval(async () => {
      if (buffered === 0) return;
      const n = buffered;
      buffered = 0;
      await env.kv.incrBy('visits', n);
      console.log('flushed', n, 'at', new Date(Date.now()).toISOString());
    }, 30_000);
  },
  async fetch(request, env) {
    buffered += 1;
    return new Response('counted');
  },
};`;

describe('virtual timers', () => {
  it('a 30 s interval fires when the test moves the clock 30 s, with Date.now() at the time it fires', async () => {
    let stored: string | null = null;
    const { result, events } = await runApp(host, BUFFERED, async ({ cluster, client, clock, services }) => {
      await cluster.start({ web: 1 });
      await client().get('/');
      await client().get('/');
      await clock.advance(29_999);
      if ((await services.kv.get('visits')) !== null) throw new Error('flushed too early');
      await clock.advance(1);
      stored = await services.kv.get('visits');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stored).toBe('2');
    const fired = eventsOf(events, 'timer').filter((event) => event.action === 'fire');
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ process: 'web.1', every: 30_000, file: 'app.ts', line: 5 });
    const log = eventsOf(events, 'log').find((event) => event.text.startsWith('flushed'));
    expect(log?.text).toBe('flushed 2 at 2026-01-01T00:00:30.000Z');
  });

  it('advancing several intervals at once fires each in turn, at its own time', async () => {
    const app = `export default { start(env) { setInterval(() => console.log('tick', Date.now() % 100000), 10_000); }, fetch: () => new Response('') };`;
    const { result, events } = await runApp(host, app, async ({ cluster, clock }) => {
      await cluster.start({ web: 1 });
      await clock.advance(35_000);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(eventsOf(events, 'log').map((event) => event.text)).toEqual(['tick 10000', 'tick 20000', 'tick 30000']);
  });

  it('a restart drops the pending timers of the process, and the story says what was lost', async () => {
    let stored: string | null = 'unset';
    const { result, events } = await runApp(host, BUFFERED, async ({ cluster, client, clock, services }) => {
      await cluster.start({ web: 1 });
      await client().get('/');
      await cluster.restart('web.1');
      await clock.advance(MINUTE);
      stored = await services.kv.get('visits');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stored, dump(result)).toBe(null);
    const dropped = eventsOf(events, 'timer').filter((event) => event.action === 'drop');
    expect(dropped, dump(result)).toMatchObject([{ process: 'web.1', generation: 1, every: 30_000 }]);
    expect(story(events).join('\n')).toContain("web.1's 30 s interval (app.ts:5) was dropped when web.1 (generation 1) ended");
  });

  it('a request that waits on a timer is answered: time passes while nothing else can happen', async () => {
    const app = `
import { setTimeout as sleep } from 'node:timers/promises';
export default {
  async fetch() {
    const before = Date.now();
    await sleep(250);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return Response.json({ waited: Date.now() - before });
  },
};`;
    let waited: unknown;
    const { result, events } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      waited = (await client().get('/')).json().waited;
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(waited).toBe(300);
    expect(eventsOf(events, 'clock')).toMatchObject([{ advancedBy: 250, waitedFor: 'web.1' }, { advancedBy: 50, waitedFor: 'web.1' }]);
  });

  it('timers due at the same time in several processes fire one at a time, in an order the seed decides', async () => {
    const app = `export default { start(env) { setTimeout(() => console.log('due'), 1000); }, fetch: () => new Response('') };`;
    const order = async (seed: number) => {
      const { result, events } = await runApp(host, app, async ({ cluster, clock }) => {
        await cluster.start({ web: 4 });
        await clock.advance(1000);
      }, { seed });
      expect(result.status, dump(result)).toBe('pass');
      return { processes: eventsOf(events, 'log').map((event) => event.process).join(' '), events };
    };
    const first = await order(1);
    const again = await order(1);
    expect(first.processes.split(' ').sort()).toEqual(['web.1', 'web.2', 'web.3', 'web.4']);
    expect(replayable(again.events)).toEqual(replayable(first.events));
    const orders = new Set([first.processes]);
    for (const seed of [2, 3, 4, 5, 6]) orders.add((await order(seed)).processes);
    expect(orders.size, [...orders].join(' | ')).toBeGreaterThan(1);
  });

  it('a timer with no delay and setImmediate run once the process is done, without the clock moving', async () => {
    const app = `export default { fetch() { setTimeout(() => console.log('timeout')); setImmediate(() => console.log('immediate')); return new Response('ok'); } };`;
    const { result, events } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      await client().get('/');
      await client().get('/');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(eventsOf(events, 'log').map((event) => event.text)).toEqual(['timeout', 'immediate', 'timeout', 'immediate']);
    expect(eventsOf(events, 'clock')).toEqual([]);
  });

  it('a timer set in a loop that never stops is stopped at 10,000 pending timers', async () => {
    const app = `export default { fetch() { for (;;) setTimeout(() => {}, 1000); } };`;
    let status = 0;
    const { result } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      status = (await client().get('/')).status;
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(status).toBe(500);
  });
});

describe('graceful shutdown on the virtual clock', () => {
  it('a stop hook that waits 2 s to flush finishes, within the grace period', async () => {
    const app = `
export default {
  async stop(env) { await new Promise((r) => setTimeout(r, 2000)); await env.kv.set('flushed', String(Date.now())); },
  fetch: () => new Response(''),
};`;
    let flushed: string | null = null;
    const { result, events } = await runApp(host, app, async ({ cluster, services }) => {
      await cluster.start({ web: 1 });
      await cluster.restart('web.1');
      flushed = await services.kv.get('flushed');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(Number(flushed) - Date.UTC(2026, 0, 1)).toBe(2000);
    expect(eventsOf(events, 'stop')).toMatchObject([{ cause: 'restart' }]);
  });

  it('a stop hook that outruns the 30 s grace period is killed when it ends', async () => {
    const app = `
export default {
  async stop() { for (;;) await new Promise((r) => setTimeout(r, 10_000)); },
  fetch: () => new Response(''),
};`;
    const { result, events } = await runApp(host, app, async ({ cluster }) => {
      await cluster.start({ web: 1 });
      await cluster.restart('web.1');
    });
    expect(result.status, dump(result)).toBe('pass');
    const kill = eventsOf(events, 'kill');
    expect(kill).toMatchObject([{ process: 'web.1', cause: 'grace-expired' }]);
    expect(kill[0]!.at - Date.UTC(2026, 0, 1)).toBe(30_000);
  });

  it('a request in flight when a restart begins is answered before the process stops', async () => {
    const app = `export default { async fetch() { await new Promise((r) => setTimeout(r, 5000)); return new Response('finished'); } };`;
    let text = '';
    const { result, events } = await runApp(host, app, async ({ cluster, client, trace }) => {
      await cluster.start({ web: 1 });
      const pending = client().get('/');
      // the restart begins once the request has reached web.1
      while (!trace.events.some((event) => event.kind === 'request')) await sleep(5);
      await cluster.restart('web.1');
      text = (await pending).text();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(text).toBe('finished');
    const kinds = events.filter((event) => event.kind === 'response' || event.kind === 'stop').map((event) => event.kind);
    expect(kinds).toEqual(['response', 'stop']);
  });
});
