// A test can have the queue deliver a done job once more (as SQS and BullMQ sometimes do), to prove a handler is safe to run twice.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { MemoryQueue } from '../../../src/engine/services/queue.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

describe('redelivering a done job', () => {
  const clock = { now: () => 5000 };

  it('hands the same job out again, its attempt counting on, even when it had used its last attempt', async () => {
    const queue = new MemoryQueue(clock);
    const id = await queue.enqueue('mail', { to: 'ada' }, { attempts: 1 });
    const first = queue.deliver(id, 'worker.1', 5000)!;
    queue.ack(id, first.delivery);
    expect(queue.next(5000)).toBeUndefined();
    queue.redeliver(id);
    expect(queue.countsNow('mail')).toMatchObject({ waiting: 1, done: 0 });
    const again = queue.deliver(queue.next(5000)!.id, 'worker.2', 5000)!;
    expect(again.job).toMatchObject({ id, attempt: 2, data: { to: 'ada' } });
    expect(queue.ack(id, again.delivery)).toEqual({ outcome: 'done' });
  });

  it('refuses a job that is not done, or that does not exist, saying which', async () => {
    const queue = new MemoryQueue(clock);
    const id = await queue.enqueue('mail', 1);
    expect(() => queue.redeliver(id)).toThrow(/job mail-1 is waiting; only a done job can be delivered again/);
    expect(() => queue.redeliver('nope')).toThrow(/there is no job "nope"/);
  });

  it('in a cluster, a worker runs the job again before the test acts next', async () => {
    const worker = `export default { async queue(job, env) { await env.kv.rpush('runs', job.id + '#' + job.attempt); } };`;
    let runs: string[] = [];
    const { result, events } = await runApp(host, { 'app.ts': 'export default { fetch: () => new Response("ok") };', 'worker.ts': worker }, async (ctx) => {
      await ctx.cluster.start({ worker: 1 });
      const id = await ctx.services.queue.enqueue('mail', { to: 'ada' });
      await ctx.cluster.idle();
      ctx.services.queue.redeliver(id);
      await ctx.cluster.idle();
      runs = await ctx.services.kv.lrange('runs', 0, -1);
    }, { processes: { web: 'app.ts', worker: 'worker.ts' } });
    expect(result.status, dump(result)).toBe('pass');
    expect(runs).toEqual(['mail-1#1', 'mail-1#2']);
    expect(eventsOf(events, 'job').map((event) => `${event.action} ${event.attempt}`)).toEqual(['deliver 1', 'done 1', 'deliver 2', 'done 2']);
  });
});
