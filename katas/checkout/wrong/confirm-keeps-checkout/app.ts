// Wrong: everything is in the store, but confirming leaves the checkout there, so confirming
// again (a double click, a reload of the confirm page) places the same order a second time.
import type { Env } from 'dojo';

const TTL_SECONDS = 30 * 60; // an unfinished checkout is forgotten 30 minutes after its last step

/** The `checkout` cookie the browser sends back. */
function checkoutId(request: Request): string | undefined {
  return request.headers.get('cookie')?.match(/(?:^|;\s*)checkout=([^;]+)/)?.[1];
}

const keyOf = (id: string) => `checkout:${id}`;

/** Writes one step's fields (only those: a step never overwrites another's) and restarts the 30 minutes. */
async function record(env: Env, id: string, fields: Record<string, string>): Promise<void> {
  await env.kv.hset(keyOf(id), fields);
  await env.kv.expire(keyOf(id), TTL_SECONDS);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /checkout/cart') {
      const { items } = await request.json();
      if (!Array.isArray(items) || items.length === 0) return Response.json({ error: 'items is required' }, { status: 400 });
      const id = checkoutId(request) ?? crypto.randomUUID();
      await env.kv.del(keyOf(id)); // a new cart starts the checkout again
      await record(env, id, { items: JSON.stringify(items.map(String)) });
      return Response.json({ next: '/checkout/address' }, { headers: { 'set-cookie': `checkout=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    // Every other step continues a checkout: look it up in the store, never in memory.
    const id = checkoutId(request);
    const checkout = id ? await env.kv.hgetall(keyOf(id)) : {};
    if (!id || !checkout.items) return Response.json({ error: 'no checkout in progress: start with your cart' }, { status: 409 });

    switch (route) {
      case 'POST /checkout/address': {
        const { address } = await request.json();
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        await record(env, id, { address: String(address) });
        return Response.json({ next: '/checkout/payment' });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await request.json();
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        await record(env, id, { payment: String(method) });
        return Response.json({ next: '/checkout/confirm' });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        await env.kv.expire(keyOf(id), TTL_SECONDS); // the checkout stays, ready for the next order
        return Response.json({ order: { items: JSON.parse(checkout.items), address: checkout.address, payment: checkout.payment } });
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
