// The cluster as a kata's tests see it: isolated processes, restarts, the balancer, chaos, releases, services.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { runTests } from '../../../src/engine/testing/runner.ts';
import { test } from '../../../src/engine/testing/index.ts';
import { isServiceMethod } from '../../../src/engine/services/methods.ts';
import type { FromProcess, ProcessHost, ProcessPort, ToProcess } from '../../../src/engine/process/protocol.ts';
import type { TracedResponse } from '../../../src/engine/testing/types.ts';
import { dump, eventsOf, runApp, sleep } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** An app that counts in memory and reports its local file, the time and its random numbers. */
const PROBE = `
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';

let count = 0;
const bootedAt = Date.now();

export default {
  async fetch(request: Request, env: any): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/write') {
      fs.mkdirSync('/tmp', { recursive: true });
      fs.writeFileSync('/tmp/note.txt', 'hello');
    }
    if (path === '/random') {
      return Response.json({
        random: Math.random(),
        uuid: crypto.randomUUID(),
        nodeUuid: randomUUID(),
        bytes: [...crypto.getRandomValues(new Uint8Array(4))],
      });
    }
    if (path === '/time') return Response.json({ now: Date.now(), iso: new Date().toISOString(), bootedAt });
    count += 1;
    const note = fs.existsSync('/tmp/note.txt') ? fs.readFileSync('/tmp/note.txt', 'utf8') : null;
    return Response.json({ count, note });
  },
};
`;

describe('processes are isolated', () => {
  it('memory is per process: a module counter differs between processes', async () => {
    const seen: [string, number][] = [];
    const { result } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      cluster.balance('round-robin');
      const browser = client();
      for (let i = 0; i < 6; i++) {
        const res = await browser.get('/');
        seen.push([res.servedBy, res.json().count]);
      }
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([
      ['web.1', 1], ['web.2', 1], ['web.3', 1],
      ['web.1', 2], ['web.2', 2], ['web.3', 2],
    ]);
  });

  it('a restart wipes memory and local disk and bumps the generation', async () => {
    const seen: { count: number; note: string | null; generation: number }[] = [];
    let restarted: number | undefined;
    const { result, events } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      for (const path of ['/write', '/']) {
        const res = await browser.get(path);
        seen.push({ ...res.json(), generation: res.generation });
      }
      restarted = (await cluster.restart('web.1')).generation;
      const res = await browser.get('/');
      seen.push({ ...res.json(), generation: res.generation });
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([
      { count: 1, note: 'hello', generation: 1 },
      { count: 2, note: 'hello', generation: 1 },
      { count: 1, note: null, generation: 2 },
    ]);
    expect(restarted).toBe(2);
    expect(eventsOf(events, 'stop')).toMatchObject([{ process: 'web.1', generation: 1, reason: 'restarted' }]);
    expect(eventsOf(events, 'start').map((event) => event.generation)).toEqual([1, 2]);
  });

  it('local disk is not shared between processes', async () => {
    const seen: [string, string | null][] = [];
    const { result } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      cluster.balance('round-robin');
      const browser = client();
      for (const path of ['/write', '/', '/']) {
        const res = await browser.get(path);
        seen.push([res.servedBy, res.json().note]);
      }
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([['web.1', 'hello'], ['web.2', null], ['web.1', 'hello']]);
  });

  it('a process can write a file in its working directory (/app exists on a fresh disk)', async () => {
    let res: TracedResponse | undefined;
    await runApp(
      host,
      "import fs from 'node:fs';\nexport default { fetch() { fs.writeFileSync('visits.txt', '1'); return new Response(fs.readFileSync('/app/visits.txt', 'utf8')); } };",
      async ({ cluster, client }) => {
        await cluster.start({ web: 1 });
        res = await client().get('/');
      },
    );
    expect(res!.text()).toBe('1');
    expect(res!.status).toBe(200);
  });
});

describe('shutdown hooks', () => {
  const HOOKED = `
export default {
  fetch: () => new Response('ok'),
  async stop(env: any) {
    await env.kv.incr('stops');
  },
};`;

  it('a graceful restart runs stop(env); a kill does not', async () => {
    const stops: (string | null)[] = [];
    const { result, events } = await runApp(host, HOOKED, async ({ cluster, services }) => {
      await cluster.start({ web: 1 });
      stops.push(await services.kv.get('stops'));
      await cluster.restart('web.1');
      stops.push(await services.kv.get('stops'));
      const killed = await cluster.kill('web.1');
      stops.push(await services.kv.get('stops'));
      stops.push(String(killed.generation));
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stops).toEqual([null, '1', '1', '3']);
    expect(eventsOf(events, 'kill')).toMatchObject([{ process: 'web.1', generation: 2, reason: 'killed (no shutdown hook ran)' }]);
    // the stop hook's service call is traced as the stopping process's
    expect(eventsOf(events, 'call')).toMatchObject([{ process: 'web.1', generation: 1, service: 'kv', method: 'incr' }]);
  });

  it('a SIGTERM listener runs on a graceful restart', async () => {
    let stops: string | null = null;
    const { result } = await runApp(
      host,
      "const env: any = {};\nexport default { start(e: any) { env.kv = e.kv; process.on('SIGTERM', async () => { await env.kv.set('sigterm', 'yes'); }); }, fetch: () => new Response('ok') };",
      async ({ cluster, services }) => {
        await cluster.start({ web: 1 });
        await cluster.restartAll();
        stops = await services.kv.get('sigterm');
      },
    );
    expect(result.status, dump(result)).toBe('pass');
    expect(stops).toBe('yes');
  });

  it('a stop hook that can never finish ends as soon as the process has nothing left to run', async () => {
    const { result, events } = await runApp(
      host,
      "export default { fetch: () => new Response('ok'), stop: () => new Promise(() => {}) };",
      async ({ cluster }) => {
        await cluster.start({ web: 1 });
        await cluster.restart('web.1');
      },
    );
    expect(result.status, dump(result)).toBe('pass');
    expect(eventsOf(events, 'start').map((event) => event.generation)).toEqual([1, 2]);
    expect(eventsOf(events, 'stop')).toHaveLength(1);
  });

  it('a kill fails the requests in flight with a 502', async () => {
    let res: TracedResponse | undefined;
    const { result } = await runApp(
      host,
      // it never answers by itself: the kill is what ends the request, whenever the kill lands
      "export default { async fetch() { await new Promise(() => {}); return new Response('never'); } };",
      async ({ cluster, client, trace }) => {
        await cluster.start({ web: 1 });
        const pending = client().get('/');
        while (!trace.events.some((event) => event.kind === 'request')) await sleep(5); // it has reached web.1
        await cluster.kill('web.1');
        res = await pending;
      },
    );
    expect(result.status, dump(result)).toBe('pass');
    expect(res!.status).toBe(502);
    expect(res!.text()).toBe('web.1 killed (no shutdown hook ran) before it answered');
  });
});

describe('time and randomness inside processes', () => {
  it('Date.now() and new Date() follow clock.advance', async () => {
    const seen: { now: number; iso: string; bootedAt: number }[] = [];
    let clockAtStart = 0;
    const { result } = await runApp(host, PROBE, async ({ cluster, client, clock }) => {
      clockAtStart = clock.now();
      await cluster.start({ web: 1 });
      seen.push((await client().get('/time')).json());
      clock.advance(90_000);
      seen.push((await client().get('/time')).json());
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen[0]!.now).toBe(clockAtStart);
    expect(seen[0]!.bootedAt).toBe(clockAtStart);
    expect(seen[1]!.now).toBe(clockAtStart + 90_000);
    expect(seen[1]!.iso).toBe(new Date(clockAtStart + 90_000).toISOString());
    expect(seen[1]!.bootedAt).toBe(clockAtStart); // module state: the boot time stays
  });

  async function randomsWith(seed: number) {
    const values: unknown[] = [];
    const { result } = await runApp(
      host,
      PROBE,
      async ({ cluster, client }) => {
        await cluster.start({ web: 2 });
        cluster.balance('round-robin');
        for (let i = 0; i < 4; i++) {
          const res = await client().get('/random');
          values.push({ servedBy: res.servedBy, ...res.json<Record<string, unknown>>() });
        }
      },
      { seed },
    );
    expect(result.status, dump(result)).toBe('pass');
    return values as { servedBy: string; random: number; uuid: string; nodeUuid: string; bytes: number[] }[];
  }

  it('Math.random and crypto.randomUUID are deterministic for a seed, different across seeds and processes', async () => {
    const first = await randomsWith(5);
    const again = await randomsWith(5);
    const other = await randomsWith(6);
    expect(again).toEqual(first);
    expect(other.map((value) => value.uuid)).not.toEqual(first.map((value) => value.uuid));
    expect(other.map((value) => value.random)).not.toEqual(first.map((value) => value.random));
    // web.1 and web.2 have streams of their own
    expect(first[0]!.servedBy).toBe('web.1');
    expect(first[1]!.servedBy).toBe('web.2');
    expect(first[1]!.random).not.toBe(first[0]!.random);
    for (const value of first) {
      expect(value.random).toBeGreaterThanOrEqual(0);
      expect(value.random).toBeLessThan(1);
      expect(value.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(value.nodeUuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(value.bytes).toHaveLength(4);
    }
    expect(new Set(first.map((value) => value.uuid)).size).toBe(4);
  });

  it('env.vars and process.env carry the kata vars', async () => {
    let body: unknown;
    const { result } = await runApp(
      host,
      'export default { fetch: (request: Request, env: any) => Response.json({ vars: env.vars.GREETING, env: process.env.GREETING }) };',
      async ({ cluster, client }) => {
        await cluster.start({ web: 1 });
        body = (await client().get('/')).json();
      },
      { vars: { GREETING: 'hello' } },
    );
    expect(result.status, dump(result)).toBe('pass');
    expect(body).toEqual({ vars: 'hello', env: 'hello' });
  });
});

describe('the load balancer', () => {
  it('round-robin cycles web.1, web.2, web.3', async () => {
    const servedBy: string[] = [];
    const { result, events } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      cluster.balance('round-robin');
      for (let i = 0; i < 7; i++) servedBy.push((await client().get('/')).servedBy);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(servedBy).toEqual(['web.1', 'web.2', 'web.3', 'web.1', 'web.2', 'web.3', 'web.1']);
    expect(new Set(eventsOf(events, 'request').map((event) => event.policy))).toEqual(new Set(['round-robin']));
  });

  it('sticky pins a client to one process with a cookie', async () => {
    const servedBy: string[] = [];
    let cookie: string | undefined;
    const { result } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      cluster.balance('sticky');
      const browser = client();
      for (let i = 0; i < 10; i++) servedBy.push((await browser.get('/')).servedBy);
      cookie = browser.cookies().dojo_lb;
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(new Set(servedBy).size).toBe(1);
    expect(cookie).toBe(servedBy[0]);
  });

  it('sticky falls back to another process when the pinned one is scaled away', async () => {
    const servedBy: string[] = [];
    const { result } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      cluster.balance('sticky');
      const browser = client();
      browser.setCookie('dojo_lb', 'web.3');
      servedBy.push((await browser.get('/')).servedBy);
      await cluster.scale({ web: 2 });
      servedBy.push((await browser.get('/')).servedBy);
      servedBy.push(browser.cookies().dojo_lb!);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(servedBy[0]).toBe('web.3');
    expect(['web.1', 'web.2']).toContain(servedBy[1]);
    expect(servedBy[2]).toBe(servedBy[1]);
  });

  async function randomRouting(seed: number): Promise<string[]> {
    const servedBy: string[] = [];
    const { result } = await runApp(
      host,
      PROBE,
      async ({ cluster, client }) => {
        await cluster.start({ web: 3 });
        const browser = client();
        for (let i = 0; i < 20; i++) servedBy.push((await browser.get('/')).servedBy);
      },
      { seed },
    );
    expect(result.status, dump(result)).toBe('pass');
    return servedBy;
  }

  it('random (the default) spreads requests, the same way for the same seed', async () => {
    const first = await randomRouting(11);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await randomRouting(11)).toEqual(first);
  });
});

describe('chaos', () => {
  const COUNTING = "export default { async fetch(request: Request, env: any) { return Response.json({ hits: await env.kv.incr('hits') }); }, async stop(env: any) { await env.kv.incr('stops'); } };";

  it('midRequest: 1 kills the serving process during each request: 502, and a chaos kill in the trace', async () => {
    const seen: [number, number][] = [];
    let hits: string | null = 'unset';
    let after: TracedResponse | undefined;
    const { result, events } = await runApp(host, COUNTING, async ({ cluster, client, services }) => {
      await cluster.start({ web: 1 });
      cluster.chaos({ midRequest: 1 });
      for (let i = 0; i < 2; i++) {
        const res = await client().get('/');
        seen.push([res.status, res.generation]);
      }
      hits = await services.kv.get('hits');
      cluster.chaos(null);
      after = await client().get('/');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([[502, 1], [502, 2]]);
    expect(eventsOf(events, 'chaos')).toMatchObject([
      { action: 'kill mid-request', process: 'web.1' },
      { action: 'kill mid-request', process: 'web.1' },
    ]);
    expect(eventsOf(events, 'kill').map((event) => event.reason)).toEqual([
      'killed by chaos while handling a request',
      'killed by chaos while handling a request',
    ]);
    expect(after!.status).toBe(200);
    expect(after!.generation).toBe(3);
    // a kill lands at the call (the increment never happened) or before the answer (it happened, the answer was lost)
    expect(after!.json()).toEqual({ hits: Number(hits ?? 0) + 1 });
  });

  it('midRequest also kills an app that calls no service, just before its response leaves', async () => {
    let res: TracedResponse | undefined;
    const { events } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      cluster.chaos({ midRequest: 1 });
      res = await client().get('/');
    });
    expect(res!.status).toBe(502);
    expect(eventsOf(events, 'chaos')).toHaveLength(1);
  });

  it('restart: 1 restarts a process (gracefully) before every request', async () => {
    const generations: number[] = [];
    let stops: string | null = null;
    const { result, events } = await runApp(host, COUNTING, async ({ cluster, client, services }) => {
      await cluster.start({ web: 1 });
      cluster.chaos({ restart: 1 });
      for (let i = 0; i < 3; i++) {
        const res = await client().get('/');
        expect(res.status).toBe(200);
        generations.push(res.generation);
      }
      stops = await services.kv.get('stops');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(generations).toEqual([2, 3, 4]);
    expect(stops).toBe('3');
    expect(eventsOf(events, 'chaos').map((event) => event.action)).toEqual(['restart', 'restart', 'restart']);
    expect(eventsOf(events, 'stop').map((event) => event.reason)).toEqual(Array(3).fill('restarted by chaos'));
  });

  it('restart with kill: true kills (no stop hook) before every request', async () => {
    let stops: string | null = 'unset';
    const { result, events } = await runApp(host, COUNTING, async ({ cluster, client, services }) => {
      await cluster.start({ web: 1 });
      cluster.chaos({ restart: 1, kill: true });
      await client().get('/');
      await client().get('/');
      stops = await services.kv.get('stops');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(stops).toBeNull();
    expect(eventsOf(events, 'chaos').map((event) => event.action)).toEqual(['kill', 'kill']);
    expect(eventsOf(events, 'kill').map((event) => event.reason)).toEqual(Array(2).fill('killed by chaos (no shutdown hook ran)'));
  });
});

describe('scale and deploy', () => {
  it('scale({ web: 1 }) after 3 leaves only web.1; scale({ web: 0 }) leaves the balancer answering 503', async () => {
    let names: string[] = [];
    const servedBy: string[] = [];
    let empty: TracedResponse | undefined;
    const { result, events } = await runApp(host, PROBE, async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      names = (await cluster.scale({ web: 1 })).map((process) => process.name);
      for (let i = 0; i < 5; i++) servedBy.push((await client().get('/')).servedBy);
      await cluster.scale({ web: 0 });
      empty = await client().get('/');
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(names).toEqual(['web.1']);
    expect(servedBy).toEqual(Array(5).fill('web.1'));
    expect(eventsOf(events, 'stop').map((event) => [event.process, event.reason])).toEqual([
      ['web.2', 'scaled down'],
      ['web.3', 'scaled down'],
      ['web.1', 'scaled down'],
    ]);
    expect(empty!.status).toBe(503);
    expect(empty!.servedBy).toBe('balancer');
  });

  // BUG: Cluster.scale() does not wait for restarts in progress (#settle) the way restart, kill,
  // deploy and route do. A process the platform is restarting after a crash is in state
  // 'starting', so #stop() skips it and scale deletes its slot; the boot then finishes: a new
  // generation starts (trace: "start web.2#2" after the scale-down), runs outside every slot,
  // and is never terminated, not even by shutdown() at the end of the test.
  it('scaling down while a crashed process is restarting stops it', async () => {
    let names: string[] = [];
    const { events } = await runApp(
      host,
      "export default { fetch(request: Request) { if (new URL(request.url).pathname === '/exit') process.exit(1); return new Response('ok'); } };",
      async ({ cluster, client }) => {
        await cluster.start({ web: 2 });
        cluster.balance('round-robin');
        await client().get('/'); // web.1
        await client().get('/exit'); // web.2 crashes; the platform restarts it in the background
        names = (await cluster.scale({ web: 1 })).map((process) => process.name);
        await sleep(300);
      },
    );
    expect(names).toEqual(['web.1']);
    const web2 = events.filter((event) => 'process' in event && event.process === 'web.2' && ['start', 'stop', 'kill', 'crash'].includes(event.kind));
    expect(web2.at(-1)!.kind).not.toBe('start');
  });

  it('scaling an unknown process type or beyond 16 is refused with a clear message', async () => {
    const errors: string[] = [];
    await runApp(host, PROBE, async ({ cluster }) => {
      for (const counts of [{ worker: 1 }, { web: 17 }] as Record<string, number>[]) {
        try {
          await cluster.start(counts);
        } catch (error) {
          errors.push((error as Error).message);
        }
      }
    });
    expect(errors).toEqual(["this kata has no process type 'worker' (it has: web)", 'cannot run 17 web processes (0 to 16)']);
  });

  it('deploy() makes a new release and restarts every process', async () => {
    let generations: number[] = [];
    const { result, events } = await runApp(host, PROBE, async ({ cluster }) => {
      await cluster.start({ web: 2 });
      await cluster.deploy();
      generations = cluster.processes().map((process) => process.generation);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(eventsOf(events, 'release')).toMatchObject([{ release: 1, built: false }, { release: 2, built: false }]);
    expect(generations).toEqual([2, 2]);
    // the release comes before the restarts
    const releaseAt = events.findIndex((event) => event.kind === 'release' && event.release === 2);
    const restarts = events.filter((event, index) => event.kind === 'start' && event.generation === 2 && index > releaseAt);
    expect(restarts).toHaveLength(2);
  });

  const BUILT = {
    'app.ts': `
import fs from 'node:fs';
const FILE = '/app/dist/x.txt';
export default {
  fetch(request: Request) {
    if (new URL(request.url).pathname === '/rm') fs.unlinkSync(FILE);
    return Response.json({ built: fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : null });
  },
};`,
    'build.ts': `
export async function build({ fs }: any) {
  console.log('building');
  fs.mkdirSync('/app/dist', { recursive: true });
  fs.writeFileSync('/app/dist/x.txt', 'built');
}`,
  };

  it('the build step runs once per release and its files are on every process at every generation', async () => {
    const seen: [string, number, string | null][] = [];
    const { result, events } = await runApp(
      host,
      BUILT,
      async ({ cluster, client }) => {
        await cluster.start({ web: 2 });
        cluster.balance('round-robin');
        const browser = client();
        const look = async (path = '/') => {
          const res = await browser.get(path);
          seen.push([res.servedBy, res.generation, res.json().built]);
        };
        await look();
        await look();
        await look('/rm'); // web.1 deletes its copy
        await cluster.restart('web.1');
        await look(); // web.2
        await look(); // web.1, generation 2: the file is back
        await cluster.deploy();
        await look();
        await look();
      },
      { build: 'build.ts' },
    );
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([
      ['web.1', 1, 'built'],
      ['web.2', 1, 'built'],
      ['web.1', 1, null],
      ['web.2', 1, 'built'],
      ['web.1', 2, 'built'],
      // round-robin carries on where it was: web.2 is next
      ['web.2', 2, 'built'],
      ['web.1', 3, 'built'],
    ]);
    expect(eventsOf(events, 'release')).toMatchObject([{ release: 1, built: true }, { release: 2, built: true }]);
    expect(eventsOf(events, 'log').filter((event) => event.process === 'build').map((event) => [event.generation, event.text])).toEqual([
      [1, 'building'],
      [2, 'building'],
    ]);
  });

  it('a failing build step is an error naming the build and the line', async () => {
    const { result } = await runApp(
      host,
      { 'app.ts': "export default { fetch: () => new Response('x') };", 'build.ts': "export function build() {\n  throw new Error('no assets');\n}" },
      async ({ cluster }) => {
        await cluster.start({ web: 1 });
      },
      { build: 'build.ts' },
    );
    expect(result.status).toBe('error');
    expect(result.message).toBe('the build step failed: Error: no assets (build.ts:2:9)');
    expect(result.location).toEqual({ file: 'build.ts', line: 2, column: 9 });
  });
});

describe('cookies between the client and the app', () => {
  const COOKIES = `
export default {
  fetch(request: Request) {
    const path = new URL(request.url).pathname;
    if (path === '/init') return new Response('ok', { headers: { 'set-cookie': 'a=1; Path=/' } });
    if (path === '/json') return Response.json({ ok: true }, { headers: [['set-cookie', 'j=1'], ['set-cookie', 'k=2']] });
    if (path === '/later') {
      const res = Response.json({ ok: true });
      res.headers.append('set-cookie', 'b=2; HttpOnly');
      return res;
    }
    if (path === '/both') {
      const res = new Response('ok', { headers: { 'set-cookie': 'c=3' } });
      res.headers.append('set-cookie', 'd=4');
      return res;
    }
    if (path === '/forget') return new Response('ok', { headers: { 'set-cookie': 'a=; Max-Age=0' } });
    return new Response(request.headers.get('cookie') ?? '(none)');
  },
};`;

  async function cookiesAfter(paths: string[]) {
    let jar: Record<string, string> = {};
    let echoed = '';
    const { result } = await runApp(host, COOKIES, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      for (const path of paths) await browser.get(path);
      jar = browser.cookies();
      echoed = (await browser.get('/echo')).text();
    });
    expect(result.status, dump(result)).toBe('pass');
    return { jar, echoed };
  }

  it('Set-Cookie given to new Response / Response.json reaches the client, and the client sends it back', async () => {
    const { jar, echoed } = await cookiesAfter(['/init', '/json']);
    expect(jar).toEqual({ a: '1', j: '1', k: '2' });
    expect(echoed).toBe('a=1; j=1; k=2');
  });

  it('Set-Cookie appended to a response after it was built reaches the client', async () => {
    expect((await cookiesAfter(['/later'])).jar).toEqual({ b: '2' });
  });

  it('a Max-Age=0 cookie from the app removes it from the client', async () => {
    const { jar, echoed } = await cookiesAfter(['/init', '/forget']);
    expect(jar).toEqual({});
    expect(echoed).toBe('(none)');
  });

  // BUG: runtime.ts CookieKeepingResponse remembers the Set-Cookie headers given to its
  // constructor, and fromResponse() then uses only those (`cookiesOf.get(response) ??
  // response.headers.getSetCookie()`): a cookie appended with res.headers.append('set-cookie')
  // after construction is silently dropped when the constructor also had one (on Node too).
  it('Set-Cookie from the constructor and one appended later both reach the client', async () => {
    expect((await cookiesAfter(['/both'])).jar).toEqual({ c: '3', d: '4' });
  });
});

describe('backing-service calls', () => {
  it('a call is recorded in the trace with process, request, service, method, args and result', async () => {
    let requestId = 0;
    const { result, events } = await runApp(
      host,
      "export default { async fetch(request: Request, env: any) { await env.kv.set('greeting', 'hi'); return Response.json({ n: await env.kv.incr('hits') }); } };",
      async ({ cluster, client, services }) => {
        await cluster.start({ web: 1 });
        requestId = (await client().get('/')).requestId;
        await services.kv.get('hits'); // the test's own calls are not traced
      },
    );
    expect(result.status, dump(result)).toBe('pass');
    expect(eventsOf(events, 'call')).toMatchObject([
      { kind: 'call', process: 'web.1', generation: 1, requestId, service: 'kv', method: 'set', args: '["greeting","hi"]', result: '"OK"' },
      { kind: 'call', process: 'web.1', generation: 1, requestId, service: 'kv', method: 'incr', args: '["hits"]', result: '1' },
    ]);
  });

  it('a service error reaches the app as a rejected promise and is traced', async () => {
    let text = '';
    const { events } = await runApp(
      host,
      "export default { async fetch(request: Request, env: any) { await env.kv.set('name', 'ann'); try { await env.kv.incr('name'); return new Response('no error'); } catch (error) { return new Response((error as Error).message); } } };",
      async ({ cluster, client }) => {
        await cluster.start({ web: 1 });
        text = (await client().get('/')).text();
      },
    );
    expect(text).toBe('ERR value is not an integer or out of range');
    expect(eventsOf(events, 'call')[1]).toMatchObject({ method: 'incr', error: 'ERR value is not an integer or out of range' });
  });

  it('an app calling a method that is not on the allow-list gets an error', async () => {
    let res: TracedResponse | undefined;
    const { events } = await runApp(
      host,
      'export default { async fetch(request: Request, env: any) { return Response.json(await env.kv.snapshot()); } };',
      async ({ cluster, client }) => {
        await cluster.start({ web: 1 });
        res = await client().get('/');
      },
    );
    expect(res!.status).toBe(500);
    expect(res!.text()).toContain('TypeError');
    expect(res!.text()).toContain('snapshot is not a function');
    expect(eventsOf(events, 'call')).toEqual([]);
  });

  it('the supervisor refuses a raw call to a method that is not on the allow-list', async () => {
    const fake = new ScriptedHost({ service: 'kv', method: 'snapshot', args: [] });
    let answer: unknown;
    const report = await runTests({
      host: fake,
      files: { 'app.ts': 'export default {};' },
      processes: { web: 'app.ts' },
      seed: 1,
      tests: [
        test('raw call', async ({ cluster, client }) => {
          await cluster.start({ web: 1 });
          answer = (await client().get('/')).json();
        }),
      ],
    });
    const result = report.results[0]!;
    expect(result.status, dump(result)).toBe('pass');
    expect(answer).toEqual({ t: 'return', cid: 1, ok: false, error: 'env.kv.snapshot is not a function' });
    expect(eventsOf(result.events, 'call')).toMatchObject([{ service: 'kv', method: 'snapshot', error: 'no such method kv.snapshot' }]);
  });

  it('isServiceMethod accepts listed methods only', () => {
    expect(isServiceMethod('kv', 'incr')).toBe(true);
    expect(isServiceMethod('db', 'query')).toBe(true);
    expect(isServiceMethod('kv', 'snapshot')).toBe(false);
    expect(isServiceMethod('kv', 'constructor')).toBe(false);
    expect(isServiceMethod('cache', 'get')).toBe(false);
  });

  // BUG: isServiceMethod looks the service up with a plain index into SERVICE_METHODS, so an
  // inherited name ('toString', '__proto__', 'constructor') yields a non-array and `.includes`
  // throws a TypeError — inside the supervisor's message handler — instead of returning false.
  it('isServiceMethod is false (and does not throw) for inherited service names', () => {
    expect(isServiceMethod('toString', 'get')).toBe(false);
    expect(isServiceMethod('__proto__', 'get')).toBe(false);
  });
});

/**
 * A host whose one kind of process answers `boot` with `ready`, and each request with one raw
 * service call; its response body is the `return` message the supervisor sent back.
 */
class ScriptedHost implements ProcessHost {
  readonly name = 'scripted';
  readonly #call: { service: string; method: string; args: unknown[] };

  constructor(call: { service: string; method: string; args: unknown[] }) {
    this.#call = call;
  }

  async spawn(): Promise<ProcessPort> {
    const listeners: ((message: FromProcess) => void)[] = [];
    const emit = (message: FromProcess) => setTimeout(() => listeners.forEach((listener) => listener(message)), 0);
    let requestId = 0;
    let seen = 0;
    return {
      send: (message: ToProcess) => {
        // like a real process, it reports when it has run what it was sent (the supervisor waits for that)
        seen += 1;
        setTimeout(() => emit({ t: 'idle', seen, timers: [] }), 0);
        if (message.t === 'boot') emit({ t: 'ready' });
        else if (message.t === 'request') {
          requestId = message.id;
          emit({ t: 'call', cid: 1, ...this.#call });
        } else if (message.t === 'return') {
          const body = new TextEncoder().encode(JSON.stringify(message));
          emit({ t: 'response', id: requestId, response: { status: 200, headers: [['content-type', 'application/json']], body } });
        } else if (message.t === 'stop') emit({ t: 'stopped' });
      },
      onMessage: (listener) => void listeners.push(listener),
      onDeath: () => undefined,
      terminate: () => undefined,
    };
  }

  async dispose(): Promise<void> {}
}
