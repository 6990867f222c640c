// Wrong: each checkout is a file on local disk. Behind a sticky balancer it looks fine, since
// every step reaches the same process and its disk, but a restart gives that process a fresh
// disk, and a scale-down takes the disk away with the process.
import type { Env } from 'dojo';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

type Checkout = { items: string[]; address?: string; payment?: string; lastStep: number };

const IDLE_LIMIT_MS = 30 * 60 * 1000;
const file = (id: string) => `./checkouts/${id.replace(/[^\w-]/g, '')}.json`;
const load = (id: string): Checkout | undefined => (existsSync(file(id)) ? JSON.parse(readFileSync(file(id), 'utf8')) : undefined);
function save(id: string, checkout: Checkout): void {
  mkdirSync('./checkouts', { recursive: true });
  writeFileSync(file(id), JSON.stringify({ ...checkout, lastStep: Date.now() }));
}

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
      save(id, { items: items.map(String), lastStep: Date.now() });
      return Response.json({ next: '/checkout/address' }, { headers: { 'set-cookie': `checkout=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    const id = checkoutId(request);
    const checkout = id ? load(id) : undefined;
    if (!id || !checkout || Date.now() - checkout.lastStep > IDLE_LIMIT_MS) {
      return Response.json({ error: 'no checkout in progress: start with your cart' }, { status: 409 });
    }

    switch (route) {
      case 'POST /checkout/address': {
        const { address } = await request.json();
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        save(id, { ...checkout, address: String(address) });
        return Response.json({ next: '/checkout/payment' });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await request.json();
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        save(id, { ...checkout, payment: String(method) });
        return Response.json({ next: '/checkout/confirm' });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        rmSync(file(id), { force: true });
        return Response.json({ order: { items: checkout.items, address: checkout.address, payment: checkout.payment } });
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
