// Wrong: sessions live in the store, but each process also caches them in a Map to save a
// round trip. Logging out deletes the session from the store and from this process's cache;
// every other process still has it cached, and still lets the old cookie in.
import type { Env } from 'dojo';

const TTL_SECONDS = 30 * 60;

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
const cache = new Map<string, { user: string }>(); // session id → session, this process only

async function load(env: Env, id: string): Promise<{ user: string } | null> {
  const cached = cache.get(id);
  if (cached) return cached;
  const raw = await env.kv.get(keyOf(id));
  if (!raw) return null;
  const session = JSON.parse(raw);
  cache.set(id, session);
  return session;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /login') {
      const { user } = await fields(request);
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID();
      await env.kv.set(keyOf(id), JSON.stringify({ user }), { EX: TTL_SECONDS });
      cache.set(id, { user });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    const id = sessionId(request);
    const session = id ? await load(env, id) : null;
    if (!id || !session) return Response.json({ error: 'not logged in' }, { status: 401 });

    switch (route) {
      case 'GET /me':
        await env.kv.expire(keyOf(id), TTL_SECONDS);
        return Response.json({ user: session.user });
      case 'POST /logout':
        await env.kv.del(keyOf(id));
        cache.delete(id);
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
