// A deploy or a restart of every process while requests are in flight and chaos kills processes mid-request:
// the lifecycle call finishes, every request is answered (by its retries), and the run replays exactly.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable } from '../../../src/engine/core/trace.ts';
import { dump, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** Each POST is one store call, so chaos has a step to kill it at; GET reads what was recorded. */
const app = `
import type { Env } from 'dojo';
export default {
  async fetch(request: Request, env: Env) {
    const key = new URL(request.url).pathname.slice(1);
    if (request.method === 'GET') return Response.json(await env.kv.keys('order:*'));
    await env.kv.set('order:' + key, 'recorded');
    return new Response('recorded ' + key);
  },
};`;

async function ordersThroughALifecycleCall(seed: number, lifecycle: 'deploy' | 'restartAll') {
  let statuses: number[] = [];
  let recorded: string[] = [];
  const { result, events } = await runApp(host, app, async ({ cluster, client }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    cluster.chaos({ restart: 0.3, midRequest: 0.3, kill: true });
    const send = (from: number) => Array.from({ length: 8 }, (_, i) => browser.post(`/${from + i}`, { retry: 5 }));
    const answers = await Promise.all([...send(0), cluster[lifecycle]().then(() => undefined), ...send(8)]);
    cluster.chaos(null);
    statuses = answers.filter((answer) => answer !== undefined).map((answer) => answer.status);
    recorded = (await browser.get('/')).json() as string[];
  }, { seed });
  expect(result.status, dump(result)).toBe('pass');
  return { statuses, recorded, trace: replayable(events) };
}

describe('a lifecycle call with requests in flight under chaos', () => {
  const cases = [['deploy', 1], ['deploy', 2], ['deploy', 3], ['restartAll', 1], ['restartAll', 2]] as const;
  for (const [lifecycle, seed] of cases) {
    it(`${lifecycle} finishes, every request is answered, and each answered order is recorded (seed ${seed})`, async () => {
      const { statuses, recorded } = await ordersThroughALifecycleCall(seed, lifecycle);
      expect(statuses).toHaveLength(16);
      // 502 only when all 6 attempts died with their process; every 200 was recorded.
      for (const [index, status] of statuses.entries()) {
        if (status === 200) expect(recorded).toContain(`order:${index}`);
        else expect(status).toBe(502);
      }
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(8);
    });
  }

  // Boots that overlap (a deploy's, chaos's, the recovery after a kill) end in the order asked, and requests wait
  // for them: before, which process was up when a request was routed depended on which isolate loaded first.
  for (const lifecycle of ['deploy', 'restartAll'] as const) {
    it(`${lifecycle} under chaos with requests in flight replays step for step under its seed`, async () => {
      const first = await ordersThroughALifecycleCall(4, lifecycle);
      const second = await ordersThroughALifecycleCall(4, lifecycle);
      expect(first.trace.filter((event) => (event as { kind: string }).kind === 'chaos').length).toBeGreaterThan(0);
      expect(second.trace).toEqual(first.trace);
    });
  }
});
