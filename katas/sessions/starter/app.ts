// A shop's login and checkout. Who is logged in, and how far each checkout has got, is kept
// in this process's memory.
import type { Env } from 'dojo';

const IDLE_LIMIT_MS = 30 * 60 * 1000; // a session ends after 30 minutes without a request

type Session = { user: string; lastSeen: number };
type Checkout = { address?: string; payment?: string };

const sessions = new Map<string, Session>(); // session id → who is logged in
const checkouts = new Map<string, Checkout>(); // session id → the checkout in progress

/** The fields of a JSON or URL-encoded form body. */
async function fields(request: Request): Promise<Record<string, string>> {
  if (request.headers.get('content-type')?.includes('json')) return await request.json();
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

/** The session id the browser sends back in its `sid` cookie. */
function sessionId(request: Request): string | undefined {
  return request.headers.get('cookie')?.match(/(?:^|;\s*)sid=([^;]+)/)?.[1];
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /login') {
      const { user } = await fields(request); // a demo shop: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID();
      sessions.set(id, { user, lastSeen: Date.now() });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    // Every other route needs a live session.
    const id = sessionId(request);
    const session = id ? sessions.get(id) : undefined;
    if (!id || !session || Date.now() - session.lastSeen > IDLE_LIMIT_MS) {
      if (id) sessions.delete(id);
      return Response.json({ error: 'not logged in' }, { status: 401 });
    }
    session.lastSeen = Date.now();
    const checkout = checkouts.get(id) ?? {};

    switch (route) {
      case 'GET /me':
        return Response.json({ user: session.user });
      case 'POST /logout':
        sessions.delete(id);
        checkouts.delete(id);
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
      case 'POST /checkout/address': {
        const { address } = await fields(request);
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        checkouts.set(id, { address });
        return Response.json({ next: '/checkout/payment' });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await fields(request);
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        checkouts.set(id, { ...checkout, payment: method });
        return Response.json({ next: '/checkout/confirm' });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        checkouts.delete(id);
        return Response.json({ order: { user: session.user, ...checkout } });
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
