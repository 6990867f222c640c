// chaos({ midRequest, atCall }): a kill at one exact step of a request, the same on every seed.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** Three steps, each a call to the store: the test reads which ones ran before the kill. */
const app = `
import type { Env } from 'dojo';
export default {
  async fetch(request: Request, env: Env) {
    if (request.method === 'GET') return Response.json(await env.kv.keys('step:*'));
    await env.kv.set('step:1', 'done');
    await env.kv.set('step:2', 'done');
    await env.kv.set('step:3', 'done');
    return new Response('all steps done');
  },
};`;

async function stepsDoneWhenKilledAt(atCall: number, seed: number) {
  let status = 0;
  let steps: string[] = [];
  const { result } = await runApp(host, app, async ({ cluster, client }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    cluster.chaos({ midRequest: 1, kill: true, atCall });
    status = (await browser.post('/')).status;
    cluster.chaos(null);
    steps = ((await browser.get('/')).json() as string[]).sort();
  }, { seed });
  expect(result.status, dump(result)).toBe('pass');
  return { status, steps };
}

describe('a mid-request kill at a given call', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`lands before that call is served, whatever the seed (seed ${seed})`, async () => {
      expect(await stepsDoneWhenKilledAt(1, seed)).toEqual({ status: 502, steps: [] });
      expect(await stepsDoneWhenKilledAt(2, seed)).toEqual({ status: 502, steps: ['step:1'] });
      expect(await stepsDoneWhenKilledAt(3, seed)).toEqual({ status: 502, steps: ['step:1', 'step:2'] });
    });
  }

  it('lands just before the answer leaves when the request makes fewer calls', async () => {
    expect(await stepsDoneWhenKilledAt(9, 1)).toEqual({ status: 502, steps: ['step:1', 'step:2', 'step:3'] });
  });

  it('refuses options that would quietly mean something else', async () => {
    const { result } = await runApp(host, app, async ({ cluster }) => {
      await cluster.start({ web: 1 });
      expect(() => cluster.chaos({ atCall: 2 })).toThrow(/give midRequest too/);
      expect(() => cluster.chaos({ midRequest: 1, atCall: 0 })).toThrow(/atCall counts backing-service calls from 1/);
      expect(() => cluster.chaos({ midRequest: 50 })).toThrow(/probability from 0 to 1/);
    });
    expect(result.status, dump(result)).toBe('pass');
  });
});
