// Wrong: the session is a cookie signed with HMAC-SHA256, so nobody can edit it and any process
// can check it, but logging out only asks the browser to drop it. The signature stays valid for
// 30 minutes whatever the server does, so a copy kept after logout still logs in: a signed
// cookie cannot be revoked without remembering, in the store, which sessions have ended.
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

// The secret is config (env.vars), the same on every process. A secret made up at start-up
// would be process state again: a cookie signed by one process would fail on the next.
function hmacKey(env: Env): Promise<CryptoKey> {
  const secret = env.vars.SESSION_SECRET;
  if (!secret) throw new Error('SESSION_SECRET is not set, so sessions cannot be signed');
  return crypto.subtle.importKey('raw', enc.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** A `sid` cookie holding the session, valid for the next 30 minutes. */
async function cookie(env: Env, session: Session): Promise<string> {
  const payload = b64(enc.encode(JSON.stringify({ ...session, exp: Date.now() + TTL_MS })));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(env), enc.encode(payload)));
  return `sid=${payload}.${b64(mac)}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The session in the request's cookie, or null when it is missing, edited, expired or logged out. */
async function read(env: Env, request: Request): Promise<Session | null> {
  const token = request.headers.get('cookie')?.match(/(?:^|;\s*)sid=([^;]+)/)?.[1];
  const [payload, mac] = token?.split('.') ?? [];
  if (!payload || !mac) return null;
  let signed: Signed;
  try {
    if (!(await crypto.subtle.verify('HMAC', await hmacKey(env), unb64(mac), enc.encode(payload)))) return null;
    signed = JSON.parse(new TextDecoder().decode(unb64(payload)));
  } catch {
    return null; // not base64 or not JSON: someone made it up
  }
  if (signed.exp <= Date.now()) return null; // Date.now follows the test's clock
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
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
    }
    return reply({ error: 'not found' }, session, 404);
  },
};
