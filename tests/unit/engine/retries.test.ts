// Client retries with an Idempotency-Key: a request killed with its process is sent again; the app must not repeat work.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/**
 * Charges, then records. Killed in between (or before its answer leaves), a retry charges again, unless both steps
 * are keyed by the Idempotency-Key in the store (as Stripe dedupes a charge by its key).
 */
const orders = (usesKey: boolean) => `
import type { Env } from 'dojo';
export default {
  async fetch(request: Request, env: Env) {
    if (request.method === 'GET') {
      return Response.json({ charges: (await env.kv.keys('charge:*')).length, orders: (await env.kv.keys('order:*')).length });
    }
    const key = ${usesKey ? "request.headers.get('idempotency-key')" : 'crypto.randomUUID()'};
    await env.kv.set('charge:' + key, '42', { NX: true });
    await env.kv.set('order:' + key, 'placed', { NX: true });
    return Response.json({ ok: true }, { status: 201 });
  },
};`;

async function placeOrders(remembersKeys: boolean) {
  let totals: { charges: number; orders: number } | undefined;
  let attempts: number[] = [];
  const { result } = await runApp(host, orders(remembersKeys), async ({ cluster, client }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    // every other request is killed at its second backing-service call (between the charge and the record)
    cluster.chaos({ midRequest: 0.5 });
    for (let i = 0; i < 6; i++) attempts.push((await browser.post('/orders', { retry: 10, idempotencyKey: true })).attempts);
    cluster.chaos(null);
    totals = (await browser.get('/orders')).json();
  }, { seed: 3 });
  expect(result.status, dump(result)).toBe('pass');
  return { totals: totals!, attempts };
}

describe('client retries', () => {
  it('a request that died with its process is sent again with the same Idempotency-Key until the app answers', async () => {
    const { attempts } = await placeOrders(true);
    expect(attempts.some((count) => count > 1), attempts.join(',')).toBe(true);
  });

  it('an app that keys its work by the Idempotency-Key does each order once, however often it was killed and retried', async () => {
    const { totals } = await placeOrders(true);
    expect(totals).toEqual({ charges: 6, orders: 6 });
  });

  it('an app that ignores the key charges again on retries', async () => {
    const { totals, attempts } = await placeOrders(false);
    expect(attempts.some((count) => count > 1)).toBe(true);
    expect(totals.charges).toBeGreaterThan(6);
    expect(totals.orders).toBeGreaterThanOrEqual(6);
  });

  it('without retry a request is sent once, and a 502 is what the test sees', async () => {
    let statuses: number[] = [];
    const { result } = await runApp(host, orders(true), async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      cluster.chaos({ midRequest: 1 });
      const res = await client().post('/orders');
      statuses = [res.status, res.attempts];
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(statuses).toEqual([502, 1]);
  });
});
