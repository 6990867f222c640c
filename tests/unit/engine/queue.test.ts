// The job queue: at-least-once delivery to worker processes, on the virtual clock, replayable, as SQS or BullMQ give it.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { MemoryQueue } from '../../../src/engine/services/queue.ts';
import { replayable } from '../../../src/engine/core/trace.ts';
import { story } from '../../../src/engine/core/story.ts';
import type { QueueJob, TestContext } from '../../../src/engine/testing/types.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

describe('the queue service on its own', () => {
  const clock = { t: 1000, now() { return this.t; } };

  it('hands out the oldest visible job first, and a delayed one only once its delay is over', async () => {
    const queue = new MemoryQueue(clock);
    const late = await queue.enqueue('mail', { to: 'b' }, { delayMs: 500 });
    const early = await queue.enqueue('mail', { to: 'a' });
    expect(queue.next(1000)?.id).toBe(early);
    queue.deliver(early, 'worker.1', 1000);
    expect(queue.next(1000)).toBeUndefined();
    expect(queue.nextVisibleAfter(1000)).toBe(1500);
    expect(queue.next(1500)?.id).toBe(late);
  });

  it('a job enqueued twice with the same jobId is one job', async () => {
    const queue = new MemoryQueue(clock);
    const first = await queue.enqueue('digest', { day: 1 }, { jobId: 'day-1' });
    const again = await queue.enqueue('digest', { day: 1 }, { jobId: 'day-1' });
    expect(again).toBe(first);
    expect(queue.jobs('digest')).toHaveLength(1);
  });

  it('a failed job comes back after a back-off that doubles, and goes to the dead-letter list after its last attempt', async () => {
    const queue = new MemoryQueue(clock);
    const id = await queue.enqueue('thumbs', 'x', { attempts: 3 });
    const outcomes: unknown[] = [];
    let now = 1000;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const given = queue.deliver(id, 'worker.1', now)!;
      expect(given.job.attempt).toBe(attempt);
      const settled = queue.fail(id, given.delivery, 'boom', now);
      outcomes.push(settled);
      if (settled.outcome === 'retry') now = settled.visibleAt;
    }
    expect(outcomes).toEqual([{ outcome: 'retry', visibleAt: 2000 }, { outcome: 'retry', visibleAt: 4000 }, { outcome: 'dead' }]);
    expect(queue.countsNow('thumbs')).toEqual({ waiting: 0, delayed: 0, active: 0, done: 0, dead: 1 });
  });

  it('a job whose worker died is handed out again when its visibility time-out ends, and the old delivery can no longer acknowledge it', async () => {
    const queue = new MemoryQueue(clock);
    const id = await queue.enqueue('thumbs', 'x');
    const first = queue.deliver(id, 'worker.1', 1000)!;
    expect(queue.holderEnded(id, first.delivery)).toBe(31_000);
    expect(queue.next(30_999)).toBeUndefined();
    const second = queue.deliver(queue.next(31_000)!.id, 'worker.2', 31_000)!;
    expect(second.job.attempt).toBe(2);
    expect(queue.ack(id, first.delivery)).toEqual({ outcome: 'stale' });
    expect(queue.ack(id, second.delivery)).toEqual({ outcome: 'done' });
  });

  it('refuses a queue name or options a real queue would refuse, with a message that says which', async () => {
    const queue = new MemoryQueue(clock);
    await expect(queue.enqueue('', 1)).rejects.toThrow(/queue's name must be a non-empty string/);
    await expect(queue.enqueue('q', 1, { delayMs: -1 })).rejects.toThrow(/delayMs must be a number of milliseconds >= 0/);
    await expect(queue.enqueue('q', 1, { attempts: 0 })).rejects.toThrow(/attempts must be a whole number from 1 to 100/);
  });

  it('keeps a copy of the data: changing the object after enqueueing changes nothing', async () => {
    const queue = new MemoryQueue(clock);
    const data = { n: 1 };
    const id = await queue.enqueue('q', data);
    data.n = 2;
    expect(queue.deliver(id, 'worker.1', 1000)!.job.data).toEqual({ n: 1 });
  });
});

// A web process that enqueues thumbnail jobs, and a worker that makes them: the way a learner writes it.
const WEB = `
export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === 'POST' && pathname === '/photos') {
      const { name } = await request.json();
      const id = await env.queue.enqueue('thumbnails', { name });
      return Response.json({ job: id }, { status: 202 });
    }
    if (pathname === '/thumbs') return Response.json(await env.kv.smembers('thumbs'));
    return new Response('not found', { status: 404 });
  },
};`;
const WORKER = `
export default {
  async queue(job, env) {
    await env.kv.incr('made:' + job.data.name);
    await env.kv.sadd('thumbs', job.data.name);
  },
};`;
const FILES = { 'app.ts': WEB, 'worker.ts': WORKER };
const PROCESSES = { web: 'app.ts', worker: 'worker.ts' };

async function upload(ctx: TestContext, names: string[]): Promise<void> {
  const client = ctx.client();
  for (const name of names) {
    const response = await client.post('/photos', { json: { name } });
    if (response.status !== 202) throw new Error(`upload answered ${response.status}`);
  }
}

describe('jobs delivered to worker processes', () => {
  it('a job the web process enqueues is done by a worker before the test acts again', async () => {
    let thumbs: unknown;
    const { result, events } = await runApp(host, FILES, async (ctx) => {
      await ctx.cluster.start({ web: 1, worker: 1 });
      await upload(ctx, ['cat.jpg']);
      thumbs = (await ctx.client().get('/thumbs')).json();
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(thumbs).toEqual(['cat.jpg']);
    expect(eventsOf(events, 'job').map((event) => `${event.action} ${event.process}`)).toEqual(['deliver worker.1', 'done worker.1']);
  });

  it('with no worker running jobs wait, and a worker started later does them all: web and workers scale apart', async () => {
    let before: unknown;
    let jobs: QueueJob[] = [];
    const { result } = await runApp(host, FILES, async (ctx) => {
      await ctx.cluster.start({ web: 2 });
      await upload(ctx, ['a', 'b', 'c']);
      before = ctx.services.queue.countsNow('thumbnails');
      await ctx.cluster.scale({ worker: 2 });
      await ctx.cluster.idle();
      jobs = ctx.services.queue.jobs('thumbnails');
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(before).toEqual({ waiting: 3, delayed: 0, active: 0, done: 0, dead: 0 });
    expect(jobs.map((job) => job.state)).toEqual(['done', 'done', 'done']);
  });

  it('a job enqueued just before the web process is killed is still done', async () => {
    let made: string | null = null;
    const { result } = await runApp(host, FILES, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      await upload(ctx, ['dog.jpg']);
      await ctx.cluster.kill('web.1');
      await ctx.cluster.scale({ worker: 1 });
      await ctx.cluster.idle();
      made = await ctx.services.kv.get('made:dog.jpg');
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(made).toBe('1');
  });

  it('a worker killed in the middle of a job: the job comes back after its visibility time-out and is done by the next generation', async () => {
    let jobs: QueueJob[] = [];
    const { result, events } = await runApp(host, FILES, async (ctx) => {
      await ctx.cluster.start({ web: 1, worker: 1 });
      ctx.cluster.chaos({ midJob: 1 });
      await upload(ctx, ['cat.jpg']);
      await ctx.cluster.idle(); // chaos applies to jobs handed out while it is on
      ctx.cluster.chaos(null);
      if (ctx.services.queue.countsNow('thumbnails').done !== 0) throw new Error('the job was done though its worker was killed');
      await ctx.clock.advance(30_000);
      jobs = ctx.services.queue.jobs('thumbnails');
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(jobs).toMatchObject([{ state: 'done', attempt: 2 }]);
    const actions = eventsOf(events, 'job').map((event) => event.action);
    expect(actions).toEqual(['deliver', 'lost', 'deliver', 'done']);
    expect(eventsOf(events, 'kill')[0]).toMatchObject({ process: 'worker.1', cause: 'chaos-mid-job' });
    expect(story(events).join('\n')).toMatch(/Job thumbnails-1 was in worker\.1's hands when worker\.1 ended; the queue will hand it out again when its visibility time-out runs out in 30 s/);
  });

  it('a handler that throws is retried after a back-off, and after its last attempt its job goes to the dead-letter list', async () => {
    const failing = `export default { async queue(job, env) { await env.kv.incr('tries'); throw new Error('the image is corrupt'); } };`;
    let jobs: QueueJob[] = [];
    let tries: string | null = null;
    const { result, events } = await runApp(host, { 'app.ts': WEB, 'worker.ts': failing }, async (ctx) => {
      await ctx.cluster.start({ web: 1, worker: 1 });
      await upload(ctx, ['bad.jpg']);
      await ctx.clock.advance(60_000);
      jobs = ctx.services.queue.jobs();
      tries = await ctx.services.kv.get('tries');
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(tries).toBe('5');
    expect(jobs).toMatchObject([{ state: 'dead', attempt: 5, lastError: expect.stringContaining('the image is corrupt') }]);
    const retries = eventsOf(events, 'job').filter((event) => event.action === 'retry');
    expect(retries.map((event) => event.visibleAt! - event.at)).toEqual([1000, 2000, 4000, 8000]);
    expect(story(events).join('\n')).toMatch(/Job thumbnails-1 went to the dead-letter list after 5 of 5 attempts: Error: the image is corrupt/);
  });

  it('a worker still busy when the visibility time-out ends: the job goes to another worker too, and the first one\'s late finish is reported', async () => {
    const slow = `
    import { setTimeout as sleep } from 'node:timers/promises';
    export default { async queue(job, env) { await sleep(job.attempt === 1 ? 45_000 : 0); await env.kv.incr('sent'); } };`;
    let sent: string | null = null;
    const { result, events } = await runApp(host, { 'app.ts': WEB, 'worker.ts': slow }, async (ctx) => {
      await ctx.cluster.start({ web: 1, worker: 2 });
      await upload(ctx, ['x']);
      await ctx.clock.advance(60_000);
      sent = await ctx.services.kv.get('sent');
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(sent).toBe('2');
    const jobs = eventsOf(events, 'job');
    expect(jobs.map((event) => event.action)).toEqual(['deliver', 'deliver', 'done', 'stale']);
    expect(jobs[1]!.previousHolder).toBe(jobs[0]!.process);
    expect(jobs[1]!.at - jobs[0]!.at).toBe(30_000);
  });

  it('a graceful stop lets the worker finish the job it holds before its shutdown hook runs', async () => {
    const worker = `
    import { setTimeout as sleep } from 'node:timers/promises';
    export default {
      async queue(job, env) { await sleep(5_000); await env.kv.rpush('log', 'job done'); },
      async stop(env) { await env.kv.rpush('log', 'stop hook'); },
    };`;
    let log: string[] = [];
    const { result } = await runApp(host, { 'app.ts': WEB, 'worker.ts': worker }, async (ctx) => {
      await ctx.cluster.start({ web: 1, worker: 1 });
      await ctx.services.queue.enqueue('thumbnails', { name: 'a' });
      await ctx.cluster.restart('worker.1');
      log = await ctx.services.kv.lrange('log', 0, -1);
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(log).toEqual(['job done', 'stop hook']);
  });

  it('the same seed hands the same jobs to the same workers: the trace replays exactly', async () => {
    const run = async () => (await runApp(host, FILES, async (ctx) => {
      await ctx.cluster.start({ web: 2, worker: 3 });
      ctx.cluster.chaos({ midJob: 0.3 });
      await upload(ctx, ['a', 'b', 'c', 'd', 'e', 'f']);
      await ctx.clock.advance(60_000);
    }, { processes: PROCESSES, seed: 42 })).events;
    const first = replayable(await run());
    const second = replayable(await run());
    expect(second).toEqual(first);
    expect(first.filter((event) => (event as { kind: string }).kind === 'job').length).toBeGreaterThan(6);
  });
});

// Every process declares the daily digest at start-up, as a learner would with BullMQ's job schedulers.
const DIGEST_WORKER = `
const DAY = 86_400_000;
export default {
  async start(env) { await env.queue.enqueue('digest', { kind: 'daily' }, { repeat: { everyMs: DAY }, jobId: 'daily-digest' }); },
  async queue(job, env) { await env.kv.rpush('sent', new Date(Date.now()).toISOString().slice(0, 10)); },
};`;

describe('scheduled jobs', () => {
  it('a schedule declared by three processes runs once a day, on one of them, at midnight', async () => {
    let sent: string[] = [];
    const { result, events } = await runApp(host, { 'app.ts': WEB, 'worker.ts': DIGEST_WORKER }, async (ctx) => {
      await ctx.cluster.start({ worker: 3 });
      await ctx.clock.advance(3 * 86_400_000);
      sent = await ctx.services.kv.lrange('sent', 0, -1);
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(sent).toEqual(['2026-01-02', '2026-01-03', '2026-01-04']);
    const delivered = eventsOf(events, 'job').filter((event) => event.action === 'deliver');
    expect(delivered.map((event) => new Date(event.at).toISOString())).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z']);
  });

  it('days missed while no worker ran are run once when a worker is back, not piled up', async () => {
    let sent: string[] = [];
    const { result } = await runApp(host, { 'app.ts': WEB, 'worker.ts': DIGEST_WORKER }, async (ctx) => {
      await ctx.cluster.start({ worker: 1 });
      await ctx.cluster.scale({ worker: 0 });
      await ctx.clock.advance(3 * 86_400_000 + 1000);
      await ctx.cluster.scale({ worker: 1 });
      await ctx.cluster.idle();
      sent = await ctx.services.kv.lrange('sent', 0, -1);
    }, { processes: PROCESSES });
    expect(result.status, dump(result)).toBe('pass');
    expect(sent).toEqual(['2026-01-04']);
  });

  // What Heroku Scheduler or a Kubernetes CronJob gives: the platform adds the job; the app only does it.
  const REPORT_WORKER = `
export default {
  async queue(job, env) { await env.kv.rpush('reports', job.id + ' ' + JSON.stringify(job.data)); },
};`;

  it('a schedule declared in kata.json runs with no process declaring it: each run is one job, done by one worker', async () => {
    const hour = 3_600_000;
    const run = async () => {
      let reports: string[] = [];
      const { result, events } = await runApp(host, { 'app.ts': WEB, 'worker.ts': REPORT_WORKER }, async (ctx) => {
        await ctx.cluster.start({ worker: 2 });
        await ctx.clock.advance(3 * hour);
        reports = await ctx.services.kv.lrange('reports', 0, -1);
      }, { processes: PROCESSES, schedules: [{ name: 'hourly-report', queue: 'reports', everyMs: hour, data: { kind: 'sales' } }] });
      expect(result.status, dump(result)).toBe('pass');
      return { reports, trace: replayable(events) };
    };
    const first = await run();
    expect(first.reports).toEqual([1, 2, 3].map((h) => `reports:hourly-report@2026-01-01T0${h}:00:00.000Z {"kind":"sales"}`));
    expect((await run()).trace, 'the same seed, the same trace').toEqual(first.trace);
  });

  it('a schedule more often than once a minute is refused with a message that says why', async () => {
    const queue = new MemoryQueue({ now: () => 0 });
    await expect(queue.enqueue('q', 1, { repeat: { everyMs: 1000 } })).rejects.toThrow(/repeat\.everyMs must be a whole number of milliseconds, at least 60000/);
  });
});
