// A seed replays a run exactly: same routing, same chaos, same process randomness, same trace.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable, type StampedEvent } from '../../../src/engine/core/trace.ts';
import type { TestContext } from '../../../src/engine/testing/types.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

const APP = `
export default {
  async fetch(request: Request, env: any): Promise<Response> {
    const n = await env.kv.incr('visits');
    console.log('visit', n, Math.random().toFixed(8));
    return Response.json({ n, id: crypto.randomUUID(), at: Date.now() });
  },
  async stop(env: any) {
    await env.kv.incr('stops');
  },
};`;

/** Three processes, random balancing, a restart, a clock step, then seeded chaos of both kinds. */
async function scenario({ cluster, client, clock, note }: TestContext): Promise<void> {
  await cluster.start({ web: 3 });
  const browser = client();
  for (let i = 0; i < 6; i++) await browser.get('/');
  await cluster.restart('web.2');
  clock.advance(1_000);
  note('chaos on');
  cluster.chaos({ restart: 0.3, midRequest: 0.3 });
  for (let i = 0; i < 14; i++) await browser.get(`/page/${i}`);
  cluster.chaos(null);
  await browser.get('/last');
}

async function run(seed: number): Promise<StampedEvent[]> {
  const { result } = await runApp(host, APP, scenario, { seed, name: 'replay scenario' });
  expect(result.status, dump(result)).toBe('pass');
  return result.events;
}

const routing = (events: readonly StampedEvent[]) =>
  eventsOf(events, 'request').map((event) => `${event.process}#${event.generation}`);

describe('replay', () => {
  it('the same seed gives the same trace (timings aside)', async () => {
    const first = await run(42);
    const second = await run(42);
    // the scenario really exercised what it claims to
    expect(new Set(routing(first).map((name) => name.split('#')[0]))).toEqual(new Set(['web.1', 'web.2', 'web.3']));
    expect(eventsOf(first, 'chaos').map((event) => event.action)).toEqual(
      expect.arrayContaining(['restart', 'kill mid-request']),
    );
    expect(eventsOf(first, 'response').some((event) => event.status === 502)).toBe(true);
    expect(eventsOf(first, 'log').length).toBeGreaterThan(10);
    expect(replayable(second)).toEqual(replayable(first));
  });

  it('a different seed gives a different routing', async () => {
    const a = await run(42);
    const b = await run(43);
    expect(routing(b)).not.toEqual(routing(a));
    expect(replayable(b)).not.toEqual(replayable(a));
  });
});

describe('replay with concurrent requests', () => {
  const GET_THEN_SET = `
export default {
  async fetch(request: Request, env: any): Promise<Response> {
    const visits = Number((await env.kv.get('visits')) ?? 0) + 1;
    await env.kv.set('visits', visits);
    return Response.json({ visits });
  },
};`;

  // Requests in flight together on different processes: the supervisor handles their messages in an order
  // the seed decides (not thread timing), so even a lost-update race replays step for step.
  it('the same seed gives the same trace when requests run concurrently', async () => {
    const traces: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const { result } = await runApp(
        host,
        GET_THEN_SET,
        async ({ cluster, client }) => {
          await cluster.start({ web: 3 });
          const visitors = [client(), client(), client(), client()];
          await Promise.all(visitors.flatMap((visitor) => [1, 2, 3, 4, 5].map(() => visitor.get('/'))));
        },
        { seed: 7 },
      );
      const events = replayable(result.events) as { kind: string; process?: string }[];
      expect(new Set(events.filter((event) => event.kind === 'request').map((event) => event.process)).size).toBeGreaterThan(1);
      traces.push(events);
    }
    for (const trace of traces.slice(1)) expect(trace).toEqual(traces[0]);
  });
});

describe('replayable()', () => {
  const base: StampedEvent[] = [
    { kind: 'start', process: 'web.1', generation: 1, startMs: 12.5, seq: 1, at: 0 },
    { kind: 'response', id: 1, status: 200, process: 'web.1', generation: 1, ms: 3.2, seq: 2, at: 0 },
  ];

  it('strips wall-clock timings and keeps everything else', () => {
    const slower: StampedEvent[] = [
      { ...base[0]!, startMs: 99 } as StampedEvent,
      { ...base[1]!, ms: 250 } as StampedEvent,
    ];
    expect(replayable(slower)).toEqual(replayable(base));
    expect(replayable(base)).toEqual([
      { kind: 'start', process: 'web.1', generation: 1, seq: 1, at: 0 },
      { kind: 'response', id: 1, status: 200, process: 'web.1', generation: 1, seq: 2, at: 0 },
    ]);
  });

  it('does not hide a difference in anything but timings', () => {
    const other: StampedEvent[] = [base[0]!, { ...base[1]!, status: 500 } as StampedEvent];
    expect(replayable(other)).not.toEqual(replayable(base));
    expect(replayable([{ ...base[0]!, at: 5 } as StampedEvent, base[1]!])).not.toEqual(replayable(base));
  });

  it('does not change the events it is given', () => {
    replayable(base);
    expect(base[0]).toHaveProperty('startMs', 12.5);
    expect(base[1]).toHaveProperty('ms', 3.2);
  });
});
