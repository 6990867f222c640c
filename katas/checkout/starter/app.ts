// A shop's checkout in four steps: cart, address, payment, confirm. How far each shopper has
// got is kept in this process's memory, which only works while the load balancer is sticky
// and the process each shopper is stuck to keeps running.
import type { Env } from 'dojo';

type Checkout = { items: string[]; address?: string; payment?: string; lastStep: number };

const IDLE_LIMIT_MS = 30 * 60 * 1000; // an unfinished checkout is forgotten 30 minutes after its last step
const checkouts = new Map<string, Checkout>(); // checkout id → progress, this process only

/** The `checkout` cookie the browser sends back. */
function checkoutId(request: Request): string | undefined {
  return request.headers.get('cookie')?.match(/(?:^|;\s*)checkout=([^;]+)/)?.[1];
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /checkout/cart') {
      const { items } = await request.json();
      if (!Array.isArray(items) || items.length === 0) return Response.json({ error: 'items is required' }, { status: 400 });
      const id = checkoutId(request) ?? crypto.randomUUID();
      checkouts.set(id, { items: items.map(String), lastStep: Date.now() });
      return Response.json({ next: '/checkout/address' }, { headers: { 'set-cookie': `checkout=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    const id = checkoutId(request);
    const checkout = id ? checkouts.get(id) : undefined;
    if (!id || !checkout || Date.now() - checkout.lastStep > IDLE_LIMIT_MS) {
      return Response.json({ error: 'no checkout in progress: start with your cart' }, { status: 409 });
    }
    checkout.lastStep = Date.now();

    switch (route) {
      case 'POST /checkout/address': {
        const { address } = await request.json();
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        checkout.address = String(address);
        return Response.json({ next: '/checkout/payment' });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await request.json();
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        checkout.payment = String(method);
        return Response.json({ next: '/checkout/confirm' });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        checkouts.delete(id); // the order is placed once
        return Response.json({ order: { items: checkout.items, address: checkout.address, payment: checkout.payment } });
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
