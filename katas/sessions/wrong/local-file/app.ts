// Wrong: sessions are saved as files on local disk. They outlive a request, so one process
// works fine, but another process has its own disk and never sees them, and a restart wipes them.
import type { Env } from 'dojo';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const IDLE_LIMIT_MS = 30 * 60 * 1000;

type Session = { user: string; lastSeen: number };

const file = (id: string) => `./sessions/${id.replace(/[^\w-]/g, '')}.json`;
const load = (id: string): Session | undefined =>
  existsSync(file(id)) ? JSON.parse(readFileSync(file(id), 'utf8')) : undefined;
function save(id: string, session: Session): void {
  mkdirSync('./sessions', { recursive: true });
  writeFileSync(file(id), JSON.stringify(session));
}

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
      const { user } = await fields(request);
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID();
      save(id, { user, lastSeen: Date.now() });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    const id = sessionId(request);
    const session = id ? load(id) : undefined;
    if (!id || !session || Date.now() - session.lastSeen > IDLE_LIMIT_MS) {
      if (id) rmSync(file(id), { force: true });
      return Response.json({ error: 'not logged in' }, { status: 401 });
    }
    save(id, { ...session, lastSeen: Date.now() });

    switch (route) {
      case 'GET /me':
        return Response.json({ user: session.user });
      case 'POST /logout':
        rmSync(file(id), { force: true });
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
