// Wrong: sessions are in the store, and the app itself checks when each was last used and
// refuses it after 30 idle minutes. That works for visitors who come back; the sessions of
// everyone who never does stay in the store for ever, and pile up until it is full.
import type { Env } from 'dojo';

const IDLE_LIMIT_MS = 30 * 60 * 1000;

type Session = { user: string; lastSeen: number };

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
      await env.kv.set(keyOf(id), JSON.stringify({ user, lastSeen: Date.now() }));
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    const id = sessionId(request);
    const raw = id ? await env.kv.get(keyOf(id)) : null;
    const session: Session | null = raw ? JSON.parse(raw) : null;
    if (!id || !session || Date.now() - session.lastSeen > IDLE_LIMIT_MS) {
      if (id) await env.kv.del(keyOf(id));
      return Response.json({ error: 'not logged in' }, { status: 401 });
    }
    await env.kv.set(keyOf(id), JSON.stringify({ ...session, lastSeen: Date.now() }));

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
