// Worker process types and the SQL service, end to end through real worker threads.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

describe('process types', () => {
  const files = {
    'web.ts': `import type { Env } from 'dojo';
export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url);
    if (request.method === 'POST') {
      await env.kv.rpush('jobs', url.searchParams.get('n') ?? '0');
      return new Response('queued', { status: 202 });
    }
    return Response.json({ done: Number((await env.kv.get('done')) ?? 0) });
  },
};`,
    'worker.ts': `import type { Env } from 'dojo';
export default {
  start(env: Env) {
    setInterval(async () => {
      const job = await env.kv.lpop('jobs');
      if (job !== null) await env.kv.incrBy('done', Number(job));
    }, 5);
  },
};`,
  };

  it('a worker process drains a queue that web processes fill, and only web processes get requests', async () => {
    let done = 0;
    const { result } = await runApp(host, files, async ({ cluster, client, clock, expect: check }) => {
      await cluster.start({ web: 2, worker: 1 });
      check(cluster.processes('worker').length).toBe(1);
      const browser = client();
      for (const n of [1, 2, 3]) await browser.post(`/jobs?n=${n}`);
      // the worker polls every 5 ms of virtual time: three polls take the three jobs
      await clock.advance(15);
      done = (await browser.get('/')).json().done;
    }, { processes: { web: 'web.ts', worker: 'worker.ts' } });
    expect(result.status, dump(result)).toBe('pass');
    expect(done).toBe(6);
    const served = new Set(eventsOf(result.events, 'request').map((event) => event.process));
    expect([...served].every((name) => name.startsWith('web.'))).toBe(true);
    expect(eventsOf(result.events, 'call').some((event) => event.process === 'worker.1' && event.method === 'lpop')).toBe(true);
  });
});

describe('SQL through env.db', () => {
  const app = `import type { Env } from 'dojo';
export default {
  async start(env: Env) {
    await env.db.exec('create table if not exists notes (id serial primary key, body text not null)');
  },
  async fetch(request: Request, env: Env) {
    if (request.method === 'POST') {
      const { rows } = await env.db.query('insert into notes (body) values ($1) returning id', [await request.text()]);
      return Response.json(rows[0], { status: 201 });
    }
    const { rows } = await env.db.query('select id, body from notes order by id');
    return Response.json(rows);
  },
};`;

  it('rows written by one process are read by another; starting the database does not count as a hung start-up or request', async () => {
    let notes: unknown;
    const { result } = await runApp(host, app, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      cluster.balance('round-robin');
      const browser = client();
      await browser.post('/', { body: 'first' });
      await browser.post('/', { body: 'second' });
      await cluster.restartAll();
      notes = (await browser.get('/')).json();
    }, { limits: { idleTimeoutMs: 200 } });
    expect(result.status, dump(result)).toBe('pass');
    expect(notes).toEqual([{ id: 1, body: 'first' }, { id: 2, body: 'second' }]);
    expect(eventsOf(result.events, 'crash')).toEqual([]);
  });

  it('a SQL error reaches the learner code as an Error with the Postgres message', async () => {
    let body = '';
    const { result } = await runApp(host, `export default { async fetch(request: Request, env: any) {
  try { await env.db.query('select * from missing'); return new Response('no error'); }
  catch (error) { return new Response((error as Error).message, { status: 500 }); }
} };`, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      body = (await client().get('/')).text();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(body).toMatch(/relation "missing" does not exist/);
  });
});
