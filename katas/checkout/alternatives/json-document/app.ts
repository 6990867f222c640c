// A shop's checkout, kept in the key-value store as one JSON document per checkout with a
// 30-minute time-to-live. Each step reads the document and writes it back whole: fine for one
// shopper taking one step at a time (two tabs saving at once could lose one step's change; the
// reference solution writes each step's fields alone, in a hash).
import type { Env } from 'dojo';

const TTL_SECONDS = 30 * 60; // an unfinished checkout is forgotten 30 minutes after its last step

/** The `checkout` cookie the browser sends back. */
function checkoutId(request: Request): string | undefined {
  return request.headers.get('cookie')?.match(/(?:^|;\s*)checkout=([^;]+)/)?.[1];
}

const keyOf = (id: string) => `checkout:${id}`;

type Checkout = { items?: string; address?: string; payment?: string };

async function load(env: Env, id: string): Promise<Checkout> {
  const raw = await env.kv.get(keyOf(id));
  return raw ? JSON.parse(raw) : {};
}

/** Writes the whole checkout with this step's fields, and restarts the 30 minutes. */
async function record(env: Env, id: string, fields: Checkout): Promise<void> {
  const current = await load(env, id);
  await env.kv.set(keyOf(id), JSON.stringify({ ...current, ...fields }), { EX: TTL_SECONDS });
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
    const checkout = id ? await load(env, id) : {};
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
        // del answers how many keys it removed: of two confirms at once, only one removes the checkout.
        if ((await env.kv.del(keyOf(id))) === 0) return Response.json({ error: 'this order was already placed' }, { status: 409 });
        return Response.json({ order: { items: JSON.parse(checkout.items!), address: checkout.address, payment: checkout.payment } });
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
