// Wrong: the browser carries the session in a cookie, base64-encoded JSON, but nothing signs
// it. Any process can read it, and so can the user, who can also rewrite it: decode it,
// change "user", encode it again, and they are logged in as someone else.
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

/** A `sid` cookie holding the session, valid for the next 30 minutes. */
async function cookie(env: Env, session: Session): Promise<string> {
  const payload = b64(enc.encode(JSON.stringify({ ...session, exp: Date.now() + TTL_MS })));
  return `sid=${payload}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The session in the request's cookie, or null when it is missing or expired. */
async function read(env: Env, request: Request): Promise<Session | null> {
  const payload = request.headers.get('cookie')?.match(/(?:^|;\s*)sid=([^;]+)/)?.[1];
  if (!payload) return null;
  try {
    const { exp, ...session }: Signed = JSON.parse(new TextDecoder().decode(unb64(payload)));
    return exp > Date.now() ? session : null; // Date.now follows the test's clock
  } catch {
    return null; // not base64 or not JSON
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const route = `${request.method} ${new URL(request.url).pathname}`;
    // Every answer to a logged-in user renews the cookie: that restarts the 30 minutes.
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
