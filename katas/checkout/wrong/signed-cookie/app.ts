// Wrong: the browser carries the progress (cart, address, payment method, expiry) in a cookie
// signed with HMAC-SHA256. Any process can take any step and nobody can edit the cookie, but
// nothing on the server knows an order was placed: a double click on confirm sends the same
// cookie twice, and both requests place the order. "Once" needs state every process can check.
import type { Env } from 'dojo';

const TTL_MS = 30 * 60 * 1000; // an unfinished checkout is forgotten 30 minutes after its last step

type Checkout = { items: string[]; address?: string; payment?: string };

const enc = new TextEncoder();
const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64 = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

// The secret is config, the same on every process; one made up at start-up would be process state.
function hmacKey(env: Env): Promise<CryptoKey> {
  const secret = env.vars.CHECKOUT_SECRET;
  if (!secret) throw new Error('CHECKOUT_SECRET is not set, so checkouts cannot be signed');
  return crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** A `checkout` cookie holding the progress, valid for the next 30 minutes. */
async function cookie(env: Env, checkout: Checkout): Promise<string> {
  const payload = b64(enc.encode(JSON.stringify({ ...checkout, exp: Date.now() + TTL_MS })));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(env), enc.encode(payload)));
  return `checkout=${payload}.${b64(mac)}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The checkout in the request's cookie, or null when it is missing, edited or expired. */
async function read(env: Env, request: Request): Promise<Checkout | null> {
  const token = request.headers.get('cookie')?.match(/(?:^|;\s*)checkout=([^;]+)/)?.[1];
  const [payload, mac] = token?.split('.') ?? [];
  if (!payload || !mac) return null;
  try {
    if (!(await crypto.subtle.verify('HMAC', await hmacKey(env), unb64(mac), enc.encode(payload)))) return null;
    const { exp, ...checkout } = JSON.parse(new TextDecoder().decode(unb64(payload)));
    return exp > Date.now() ? checkout : null;
  } catch {
    return null;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    const reply = async (body: unknown, checkout: Checkout) =>
      Response.json(body, { headers: { 'set-cookie': await cookie(env, checkout) } });

    if (route === 'POST /checkout/cart') {
      const { items } = await request.json();
      if (!Array.isArray(items) || items.length === 0) return Response.json({ error: 'items is required' }, { status: 400 });
      return reply({ next: '/checkout/address' }, { items: items.map(String) });
    }

    const checkout = await read(env, request);
    if (!checkout) return Response.json({ error: 'no checkout in progress: start with your cart' }, { status: 409 });

    switch (route) {
      case 'POST /checkout/address': {
        const { address } = await request.json();
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        return reply({ next: '/checkout/payment' }, { ...checkout, address: String(address) });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await request.json();
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        return reply({ next: '/checkout/confirm' }, { ...checkout, payment: String(method) });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        // The browser forgets the checkout with the cookie.
        return Response.json(
          { order: { items: checkout.items, address: checkout.address, payment: checkout.payment } },
          { headers: { 'set-cookie': 'checkout=; Path=/; Max-Age=0' } },
        );
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
