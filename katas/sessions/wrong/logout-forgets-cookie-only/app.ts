// Wrong: logging out only asks the browser to drop its cookie. The session itself stays in the
// store, so anyone who kept a copy of the cookie (a shared computer, a stolen cookie) is still logged in.
import type { Env } from 'dojo';

const TTL_SECONDS = 30 * 60; // a session ends after 30 minutes without a request

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

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /login') {
      const { user } = await fields(request); // a demo site: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID(); // the cookie carries only this random id: nothing to edit
      await env.kv.set(keyOf(id), JSON.stringify({ user }), { EX: TTL_SECONDS });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    // Every other route needs a live session: look it up in the store, never in memory.
    const id = sessionId(request);
    const raw = id ? await env.kv.get(keyOf(id)) : null;
    if (!id || !raw) return Response.json({ error: 'not logged in' }, { status: 401 });
    const session: { user: string } = JSON.parse(raw);

    switch (route) {
      case 'GET /me':
        // Still in use: start the 30 minutes again. Only the expiry changes, never the session itself.
        await env.kv.expire(keyOf(id), TTL_SECONDS);
        return Response.json({ user: session.user });
      case 'POST /logout':
        // (the session is left in the store: nothing on the server changes)
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    await env.kv.expire(keyOf(id), TTL_SECONDS);
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
