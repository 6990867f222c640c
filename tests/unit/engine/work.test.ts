// Work in the trace: the steps a build, a start-up and each request ran, counted (never timed), so a test can tell
// where work was done, e.g. assets compiled in every process instead of once in the build step.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable, type TraceEvent } from '../../../src/engine/core/trace.ts';
import { workDone } from 'dojo/testing';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

describe('workDone', () => {
  it('adds up each generation’s start-up and requests, and each release’s build, ignoring events without a count', () => {
    const events: TraceEvent[] = [
      { kind: 'release', release: 1, built: true, work: 900 },
      { kind: 'start', process: 'web.1', generation: 1, work: 40 },
      { kind: 'start', process: 'web.2', generation: 1, work: 700 },
      { kind: 'response', id: 1, status: 200, process: 'web.1', generation: 1, work: 5 },
      { kind: 'response', id: 2, status: 200, process: 'web.1', generation: 1, work: 6 },
      { kind: 'response', id: 3, status: 503, process: 'balancer', generation: 0 },
      { kind: 'start', process: 'web.1', generation: 2, work: 41 },
      { kind: 'release', release: 2, built: false },
    ];
    const done = workDone(events);
    expect(done.builds).toEqual({ 1: 900 });
    expect(done.processes).toEqual([
      { process: 'web.1', generation: 1, start: 40, requests: 11, total: 51 },
      { process: 'web.2', generation: 1, start: 700, requests: 0, total: 700 },
      { process: 'web.1', generation: 2, start: 41, requests: 0, total: 41 },
    ]);
    expect(done.busiest).toMatchObject({ process: 'web.2', total: 700 });
    expect(workDone([]).busiest).toBeUndefined();
  });
});

describe('work in the trace', () => {
  const APP = {
    'build.ts': `
export function build({ fs }: any) {
  let made = '';
  for (let i = 0; i < 20000; i++) made += 'x';
  fs.writeFileSync('/app/made.txt', made);
}`,
    'app.ts': `
let warm = 0;
function spin(times: number) { let n = 0; for (let i = 0; i < times; i++) n += i; return n; }
export default {
  start() { warm = spin(Number(process.env.START_STEPS ?? '0')); },
  fetch(request: Request) {
    const times = Number(new URL(request.url).searchParams.get('spin') ?? '0');
    return new Response(String(spin(times) + warm));
  },
};`,
  };

  it('a start-up, each request and the build carry the steps they ran, and a restart starts counting again', async () => {
    const { result, events } = await runApp(host, APP, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      await browser.get('/?spin=10');
      await browser.get('/?spin=3000');
      await cluster.restart('web.1');
      await browser.get('/');
    }, { build: 'build.ts', vars: { START_STEPS: '50000' } });
    expect(result.status, dump(result)).toBe('pass');
    const [release] = eventsOf(events, 'release');
    expect(release!.work).toBeGreaterThanOrEqual(20_000);
    const starts = eventsOf(events, 'start');
    expect(starts.map((event) => event.generation)).toEqual([1, 2]);
    for (const start of starts) expect(start.work).toBeGreaterThanOrEqual(50_000);
    const [small, large, after] = eventsOf(events, 'response').map((event) => event.work!);
    expect(small).toBeLessThan(100);
    expect(large).toBeGreaterThanOrEqual(3000);
    expect(large).toBeLessThan(3100);
    expect(after).toBeLessThan(100);
    const done = workDone(events);
    expect(done.processes.map((generation) => [generation.process, generation.generation])).toEqual([['web.1', 1], ['web.1', 2]]);
    expect(done.processes[0]!.total).toBe(starts[0]!.work! + small + large);
  });

  it('work counts are the same on every replay, and are left out of replay comparisons all the same', async () => {
    const run = () => runApp(host, APP, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      await client().get('/?spin=200');
    }, { build: 'build.ts', vars: { START_STEPS: '10' } });
    const [first, second] = [await run(), await run()];
    expect(workDone(first.events)).toEqual(workDone(second.events));
    expect(replayable(first.events).some((event) => 'work' in (event as object))).toBe(false);
  });
});
