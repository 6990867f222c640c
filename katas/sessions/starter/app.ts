// A site's login. Who is logged in is kept in this process's memory.
import type { Env } from 'dojo';

const IDLE_LIMIT_MS = 30 * 60 * 1000; // a session ends after 30 minutes without a request

type Session = { user: string; lastSeen: number };

const sessions = new Map<string, Session>(); // session id → who is logged in

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
      const { user } = await fields(request); // a demo site: no password needed
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

    switch (route) {
      case 'GET /me':
        return Response.json({ user: session.user });
      case 'POST /logout':
        sessions.delete(id);
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
