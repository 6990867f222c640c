// Wrong: the browser carries the session in a cookie, base64-encoded JSON, but nothing signs
// it. Any process can read it, and so can the visitor, who can also rewrite it: decode it,
// change "user", encode it again, and they are logged in as someone else.
import type { Env } from 'dojo';

const TTL_MS = 30 * 60 * 1000; // a session ends after 30 minutes without a request

type Session = { user: string; sid: string };
type Signed = Session & { exp: number };

async function fields(request: Request): Promise<Record<string, string>> {
  if (request.headers.get('content-type')?.includes('json')) return await request.json();
  return Object.fromEntries(new URLSearchParams(await request.text()));
}

const enc = new TextEncoder();
const b64 = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64 = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/** A `sid` cookie holding the session (readable, and writable, by the visitor), valid for the next 30 minutes. */
async function cookie(env: Env, session: Session): Promise<string> {
  const payload = b64(enc.encode(JSON.stringify({ ...session, exp: Date.now() + TTL_MS })));
  return `sid=${payload}; Path=/; HttpOnly; SameSite=Lax`;
}

const revokedKey = (sid: string) => `revoked:${sid}`;

/** The session in the request's cookie, or null when it is missing, edited, expired or logged out. */
async function read(env: Env, request: Request): Promise<Session | null> {
  const token = request.headers.get('cookie')?.match(/(?:^|;\s*)sid=([^;]+)/)?.[1];
  const payload = token;
  if (!payload) return null;
  let signed: Signed;
  try {
    signed = JSON.parse(new TextDecoder().decode(unb64(payload)));
  } catch {
    return null; // not base64 or not JSON: someone made it up
  }
  if (signed.exp <= Date.now()) return null; // Date.now follows the test's clock
  if (await env.kv.exists(revokedKey(signed.sid))) return null; // logged out, on whichever process
  return { user: signed.user, sid: signed.sid };
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    // Every answer to a logged-in visitor re-signs the cookie: that starts the 30 minutes again.
    const reply = async (body: unknown, session: Session, status = 200) =>
      Response.json(body, { status, headers: { 'set-cookie': await cookie(env, session) } });

    if (route === 'POST /login') {
      const { user } = await fields(request); // a demo site: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      return reply({ user }, { user, sid: crypto.randomUUID() });
    }

    const session = await read(env, request);
    if (!session) return Response.json({ error: 'not logged in' }, { status: 401 });

    switch (route) {
      case 'GET /me':
        return reply({ user: session.user }, session);
      case 'POST /logout':
        // Every cookie of this session was signed by now, so none can outlive the next 30 minutes.
        await env.kv.set(revokedKey(session.sid), '1', { PX: TTL_MS });
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    return reply({ error: 'not found' }, session, 404);
  },
};
