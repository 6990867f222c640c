// A shop's login and checkout, with no session store at all: the browser carries the session
// (who is logged in, how far the checkout has got, when it expires) in a cookie signed with
// HMAC-SHA256. Any process can check the signature with the shared secret, so any process
// can serve any request, and nobody can edit the cookie without breaking the signature.
import type { Env } from 'dojo';

const TTL_MS = 30 * 60 * 1000; // a session ends after 30 minutes without a request

type Session = { user: string; checkout: { address?: string; payment?: string } };
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

/** The session in the request's cookie, or null when it is missing, tampered with or expired. */
async function read(env: Env, request: Request): Promise<Session | null> {
  const token = request.headers.get('cookie')?.match(/(?:^|;\s*)sid=([^;]+)/)?.[1];
  const [payload, mac] = token?.split('.') ?? [];
  if (!payload || !mac) return null;
  try {
    if (!(await crypto.subtle.verify('HMAC', await hmacKey(env), unb64(mac), enc.encode(payload)))) return null;
    const { exp, ...session }: Signed = JSON.parse(new TextDecoder().decode(unb64(payload)));
    return exp > Date.now() ? session : null; // Date.now follows the test's clock
  } catch {
    return null; // not base64 or not JSON: someone made it up
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    // Every answer to a logged-in user re-signs the cookie: that restarts the 30 minutes.
    const reply = async (body: unknown, session: Session, status = 200) =>
      Response.json(body, { status, headers: { 'set-cookie': await cookie(env, session) } });

    if (route === 'POST /login') {
      const { user } = await fields(request); // a demo shop: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      return reply({ user }, { user, checkout: {} });
    }

    const session = await read(env, request);
    if (!session) return Response.json({ error: 'not logged in' }, { status: 401 });
    const { checkout } = session;

    switch (route) {
      case 'GET /me':
        return reply({ user: session.user }, session);
      case 'POST /logout': // the browser forgets the cookie, and with it the session
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
      case 'POST /checkout/address': {
        const { address } = await fields(request);
        if (!address) return reply({ error: 'address is required' }, session, 400);
        return reply({ next: '/checkout/payment' }, { ...session, checkout: { address } });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return reply({ error: 'enter an address first' }, session, 409);
        const { method } = await fields(request);
        if (!method) return reply({ error: 'method is required' }, session, 400);
        return reply({ next: '/checkout/confirm' }, { ...session, checkout: { ...checkout, payment: method } });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return reply({ error: 'enter an address and a payment method first' }, session, 409);
        }
        return reply({ order: { user: session.user, ...checkout } }, { ...session, checkout: {} });
      }
    }
    return reply({ error: 'not found' }, session, 404);
  },
};
