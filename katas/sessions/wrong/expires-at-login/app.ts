// Wrong: the session gets its 30 minutes at login and they are never started again, so a
// visitor who is busy on the site is logged out half an hour after logging in.
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

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;

    if (route === 'POST /login') {
      const { user } = await fields(request);
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID();
      await env.kv.set(keyOf(id), JSON.stringify({ user }), { EX: TTL_SECONDS });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    const id = sessionId(request);
    const raw = id ? await env.kv.get(keyOf(id)) : null;
    if (!id || !raw) return Response.json({ error: 'not logged in' }, { status: 401 });
    const session: { user: string } = JSON.parse(raw);

    switch (route) {
      case 'GET /me':
        return Response.json({ user: session.user });
      case 'POST /logout':
        await env.kv.del(keyOf(id));
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
