// Wrong: sessions (with their checkout) are saved as files on local disk. They outlive a
// request, so one process works fine, but another process has its own disk and never sees
// them, and a restart wipes them all.
import type { Env } from 'dojo';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const IDLE_LIMIT_MS = 30 * 60 * 1000; // a session ends after 30 minutes without a request

type Session = { user: string; lastSeen: number; checkout: { address?: string; payment?: string } };

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
      const { user } = await fields(request); // a demo shop: no password needed
      if (!user?.trim()) return Response.json({ error: 'user is required' }, { status: 400 });
      const id = crypto.randomUUID();
      save(id, { user, lastSeen: Date.now(), checkout: {} });
      return Response.json({ user }, { headers: { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` } });
    }

    // Every other route needs a live session.
    const id = sessionId(request);
    const session = id ? load(id) : undefined;
    if (!id || !session || Date.now() - session.lastSeen > IDLE_LIMIT_MS) {
      if (id) rmSync(file(id), { force: true });
      return Response.json({ error: 'not logged in' }, { status: 401 });
    }
    session.lastSeen = Date.now();
    save(id, session);
    const { checkout } = session;

    switch (route) {
      case 'GET /me':
        return Response.json({ user: session.user });
      case 'POST /logout':
        rmSync(file(id), { force: true });
        return Response.json({ ok: true }, { headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } });
      case 'POST /checkout/address': {
        const { address } = await fields(request);
        if (!address) return Response.json({ error: 'address is required' }, { status: 400 });
        save(id, { ...session, checkout: { address } });
        return Response.json({ next: '/checkout/payment' });
      }
      case 'POST /checkout/payment': {
        if (!checkout.address) return Response.json({ error: 'enter an address first' }, { status: 409 });
        const { method } = await fields(request);
        if (!method) return Response.json({ error: 'method is required' }, { status: 400 });
        save(id, { ...session, checkout: { ...checkout, payment: method } });
        return Response.json({ next: '/checkout/confirm' });
      }
      case 'POST /checkout/confirm': {
        if (!checkout.address || !checkout.payment) {
          return Response.json({ error: 'enter an address and a payment method first' }, { status: 409 });
        }
        save(id, { ...session, checkout: {} });
        return Response.json({ order: { user: session.user, ...checkout } });
      }
    }
    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
