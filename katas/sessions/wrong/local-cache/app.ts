// Wrong: sessions live in the store, but each process also caches them in a Map to save a
// round trip. Logging out deletes the session from the store and from this process's cache;
// every other process still has it cached, and still lets the old cookie in.
import type { Env } from 'dojo';

const TTL_SECONDS = 30 * 60; // a session ends after 30 minutes without a request

type Session = { user: string; checkout: { address?: string; payment?: string } };

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
const cache = new Map<string, Session>(); // session id → session, this process only

/** Writes the whole session and (re)starts its 30 minutes: the store forgets it by itself. */
async function save(env: Env, id: string, session: Session): Promise<void> {
  await env.kv.set(keyOf(id), JSON.stringify(session), { EX: TTL_SECONDS });
  cache.set(id, session);
}

async function load(env: Env, id: string): Promise<Session | null> {
  const cached = cache.get(id);
  if (cached) return cached;
  const raw = await env.kv.get(keyOf(id));
  if (!raw) return null;
  const session: Session = JSON.parse(raw);
  cache.set(id, session);
  return session;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /login') {
      const { user } = await fields(request); // a demo shop: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID(); // the cookie carries only this random id
      await save(env, id, { user, checkout: {} });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    // Every other route needs a live session: look it up in the store, never in memory.
    const id = sessionId(request);
    const session = id ? await load(env, id) : null;
    if (!id || !session) return Response.json({ error: 'not logged in' }, { status: 401 });
    const { checkout } = session;

    switch (route) {
      case 'GET /me':
        await env.kv.expire(keyOf(id), TTL_SECONDS); // still active: restart the 30 minutes
        return Response.json({ user: session.user });
      case 'POST /logout':
        // The session is gone, so the old cookie is harmless... on this process.
        await env.kv.del(keyOf(id));
        cache.delete(id);
        return Response.json({ ok: true });
      case 'POST /checkout/address': {
        const { address } = await fields(request);
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        await save(env, id, { ...session, checkout: { address } });
        return Response.json({ next: '/checkout/payment' });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await fields(request);
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        await save(env, id, { ...session, checkout: { ...checkout, payment: method } });
        return Response.json({ next: '/checkout/confirm' });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        await save(env, id, { ...session, checkout: {} });
        return Response.json({ order: { user: session.user, ...checkout } });
      }
    }
    await env.kv.expire(keyOf(id), TTL_SECONDS);
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
