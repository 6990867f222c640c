// Wrong: sessions are in the store, but the checkout in progress is still kept in this
// process's memory. It only works when the balancer sends every step to the same process.
import type { Env } from 'dojo';

const TTL_SECONDS = 30 * 60; // a session ends after 30 minutes without a request

type Session = { user: string };
type Checkout = { address?: string; payment?: string };
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

const keyOf = (id: string) => `session:${id}`;

/** Writes the whole session and (re)starts its 30 minutes: the store forgets it by itself. */
async function save(env: Env, id: string, session: Session): Promise<void> {
  await env.kv.set(keyOf(id), JSON.stringify(session), { EX: TTL_SECONDS });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /login') {
      const { user } = await fields(request); // a demo shop: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID(); // the cookie carries only this random id
      await save(env, id, { user });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    // Every other route needs a live session: look it up in the store, never in memory.
    const id = sessionId(request);
    const raw = id ? await env.kv.get(keyOf(id)) : null;
    if (!id || !raw) return Response.json({ error: 'not logged in' }, { status: 401 });
    const session: Session = JSON.parse(raw);
    const checkout = checkouts.get(id) ?? {};
    await env.kv.expire(keyOf(id), TTL_SECONDS);

    switch (route) {
      case 'GET /me':
        return Response.json({ user: session.user });
      case 'POST /logout':
        await env.kv.del(keyOf(id));
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
