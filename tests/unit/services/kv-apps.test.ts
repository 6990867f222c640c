// Apps written as a learner would, on the store's newer commands, run through the kata test API in real processes.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, runApp } from '../engine/helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** Three requests a minute per user, counted over a sliding window kept where the limit is: `counts` decides. */
const limiter = (counts: string) => `import type { Env } from 'dojo';
const LIMIT = 3;
const WINDOW = 60_000;
const seen = new Map<string, number[]>();
async function ${counts}
export default {
  async fetch(request: Request, env: Env) {
    const user = request.headers.get('x-user') ?? 'anonymous';
    const retryAfter = await admit(env, user, Date.now());
    if (retryAfter > 0) return new Response('slow down', { status: 429, headers: { 'retry-after': String(retryAfter) } });
    return new Response('ok');
  },
};`;

const sortedSetWindow = `admit(env: Env, user: string, now: number): Promise<number> {
  const key = 'rate:' + user;
  await env.kv.zremrangebyscore(key, '-inf', now - WINDOW);
  if ((await env.kv.zcard(key)) >= LIMIT) {
    const [oldest] = await env.kv.zrange(key, 0, 0, { WITHSCORES: true });
    return Math.ceil((oldest!.score + WINDOW - now) / 1000);
  }
  await env.kv.zadd(key, now, crypto.randomUUID());
  await env.kv.pexpire(key, WINDOW);
  return 0;
}`;

const processMemoryWindow = `admit(env: Env, user: string, now: number): Promise<number> {
  const times = (seen.get(user) ?? []).filter((t) => t > now - WINDOW);
  seen.set(user, times);
  if (times.length >= LIMIT) return Math.ceil((times[0]! + WINDOW - now) / 1000);
  times.push(now);
  return 0;
}`;

/** A consumer of an event stream that must not hand out an event twice, even after a restart. */
const consumer = (cursor: { load: string; save: string }) => `import type { Env } from 'dojo';
let memoryCursor = '0';
export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url);
    if (url.pathname === '/events') {
      return Response.json({ id: await env.kv.xadd('events', '*', { text: url.searchParams.get('text') ?? '' }) });
    }
    const after = ${cursor.load};
    const read = await env.kv.xread({ events: after }, { COUNT: 100 });
    const entries = read?.[0]?.entries ?? [];
    if (entries.length > 0) {
      const last = entries[entries.length - 1]!.id;
      ${cursor.save};
    }
    return Response.json(entries.map((entry) => entry.fields.text));
  },
};`;

describe('apps on the store', () => {
  it('a sliding-window rate limiter on a sorted set holds across processes and frees up as the window slides', async () => {
    const statuses: number[] = [];
    const retries: (string | null)[] = [];
    const { result } = await runApp(host, limiter(sortedSetWindow), async ({ cluster, client, clock }) => {
      await cluster.start({ web: 3 });
      cluster.balance('round-robin');
      const browser = client();
      const hit = async () => {
        const response = await browser.get('/', { headers: { 'x-user': 'ada' } });
        statuses.push(response.status);
        retries.push(response.headers.get('retry-after'));
      };
      for (let i = 0; i < 4; i++) await hit();
      await clock.advance(30_000);
      await hit();
      await clock.advance(30_000);
      await hit();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(statuses).toEqual([200, 200, 200, 429, 429, 200]);
    expect(retries).toEqual([null, null, null, '60', '30', null]);
  });

  it('the same limiter counting in process memory lets a fourth request through on another process', async () => {
    const statuses: number[] = [];
    const { result } = await runApp(host, limiter(processMemoryWindow), async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      cluster.balance('round-robin');
      const browser = client();
      for (let i = 0; i < 4; i++) statuses.push((await browser.get('/', { headers: { 'x-user': 'ada' } })).status);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('a stream consumer that keeps its cursor in the store resumes after a restart without repeating itself', async () => {
    const batches: string[][] = [];
    const app = consumer({ load: "(await env.kv.get('cursor')) ?? '0'", save: "await env.kv.set('cursor', last)" });
    const { result } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      const browser = client();
      await browser.post('/events?text=one');
      await browser.post('/events?text=two');
      batches.push((await browser.post('/consume')).json());
      await cluster.restartAll();
      await browser.post('/events?text=three');
      batches.push((await browser.post('/consume')).json());
      batches.push((await browser.post('/consume')).json());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(batches).toEqual([['one', 'two'], ['three'], []]);
  });

  it('the same consumer keeping its cursor in process memory hands events out again after a restart', async () => {
    const batches: string[][] = [];
    const app = consumer({ load: 'memoryCursor', save: 'memoryCursor = last' });
    const { result } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      await browser.post('/events?text=one');
      batches.push((await browser.post('/consume')).json());
      await cluster.restartAll();
      batches.push((await browser.post('/consume')).json());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(batches).toEqual([['one'], ['one']]);
  });
});
