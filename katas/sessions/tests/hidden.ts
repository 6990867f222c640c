// Hidden tests of the sessions kata: the visible tests of sample.ts (a login and a checkout are
// honoured by every process, a session expires after 30 idle minutes), then a session (and the
// checkout in it) must survive restarts, stay alive while it is used, end on logout everywhere,
// and refuse a cookie the visitor edited.
import { test } from 'dojo/testing';
import samples, { bodyOf, logIn, lost, MINUTE } from './sample.ts';

/** Deep copy of a JSON value with every string equal to `from` replaced by `to`; null if none was. */
function swap(value: unknown, from: string, to: string): unknown {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (v === from) {
      changed = true;
      return to;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  const result = walk(value);
  return changed ? result : null;
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function fromBase64(part: string): string | null {
  if (!/^[A-Za-z0-9+/_-]{8,}={0,2}$/.test(part)) return null;
  try {
    const normal = part.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
    const binary = atob(normal + '='.repeat((4 - (normal.length % 4)) % 4));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** Base64 of `text`, in the same style (URL-safe or not, padded or not) as `like`. */
function toBase64(text: string, like: string): string {
  let b64 = btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  if (!/[+/]/.test(like)) b64 = b64.replace(/\+/g, '-').replace(/\//g, '_');
  if (!like.endsWith('=')) b64 = b64.replace(/=+$/, '');
  return b64;
}

/**
 * What a curious visitor does to their cookie: if it holds readable data (JSON, or base64 JSON,
 * signed or not), rewrite `from` as `to` in it; if it is an opaque id, change one character.
 */
function forge(cookie: string, from: string, to: string): string {
  let value = cookie;
  try {
    value = decodeURIComponent(cookie);
  } catch {
    // not URL-encoded
  }
  const encode = (v: string) => (value === cookie ? v : encodeURIComponent(v));
  const plain = swap(parseJson(value), from, to);
  if (plain) return encode(JSON.stringify(plain));
  const parts = value.split('.');
  for (let i = 0; i < parts.length; i++) {
    const changed = swap(parseJson(fromBase64(parts[i]!)), from, to);
    if (changed) {
      parts[i] = toBase64(JSON.stringify(changed), parts[i]!);
      return encode(parts.join('.'));
    }
  }
  const last = cookie.slice(-1);
  return cookie.slice(0, -1) + (last === '0' ? '1' : '0');
}

export default [
  ...samples,

  test('a session and its checkout survive a restart of every process', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const login = await logIn(browser, fail);
    const address = await browser.post('/checkout/address', { json: { address: '7 Restart Road' } });
    expect(address.status, lost(login, address, 'the address step')).toBe(200);

    await cluster.restartAll();
    note('every process restarted');
    const me = await browser.get('/me');
    expect(
      me.status,
      me.status === 401
        ? `ada logged in on ${login.servedBy}, then every process restarted; her session was gone when ${me.servedBy} (generation ${me.generation}) answered GET /me`
        : lost(login, me, 'GET /me after every process restarted'),
    ).toBe(200);
    const payment = await browser.post('/checkout/payment', { json: { method: 'invoice' } });
    expect(
      payment.status,
      payment.status === 409
        ? `the address was entered on ${address.servedBy}, then every process restarted, and ${payment.servedBy} answered the payment step as if no address had been entered`
        : lost(login, payment, 'the payment step after every process restarted'),
    ).toBe(200);

    await cluster.deploy();
    note('a new release was deployed');
    const confirm = await browser.post('/checkout/confirm');
    expect(
      confirm.status,
      confirm.status === 409
        ? `the address and payment method were entered before a deploy, and ${confirm.servedBy} answered the confirm step as if they had never been entered`
        : lost(login, confirm, 'the confirm step after a deploy'),
    ).toBe(200);
    expect(bodyOf(confirm)?.order?.address, `${confirm.servedBy} confirmed ada's order after a deploy`).toBe('7 Restart Road');
    expect(bodyOf(confirm)?.order?.payment, `${confirm.servedBy} confirmed ada's order after a deploy`).toBe('invoice');
  }),

  test('a session stays alive while it is used', async ({ cluster, client, clock, expect, fail, note }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const login = await logIn(browser, fail);
    for (let round = 1; round <= 3; round++) {
      clock.advance(20 * MINUTE);
      note(`20 minutes pass (${round * 20} since ada logged in)`);
      const me = await browser.get('/me');
      expect(
        me.status,
        `ada logged in on ${login.servedBy} ${round * 20} minutes ago and has made a request every 20 minutes since; then ${me.servedBy} answered GET /me`,
      ).toBe(200);
      expect(bodyOf(me)?.user, `${me.servedBy} answered GET /me for ada`).toBe('ada');
    }
  }),

  test('logging out ends the session on every process', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // every process sees the session before and after the logout
    const browser = client();
    const login = await logIn(browser, fail);
    for (let i = 1; i <= 3; i++) {
      const me = await browser.get('/me');
      expect(me.status, lost(login, me, 'GET /me')).toBe(200);
    }
    const logout = await browser.post('/logout');
    expect(logout.ok, `${logout.servedBy} answered POST /logout with ${logout.status}`).toBe(true);
    for (let i = 1; i <= 3; i++) {
      const me = await browser.get('/me');
      expect(
        me.status,
        `ada logged out on ${logout.servedBy}, then ${me.servedBy} answered her next GET /me with ${me.text().slice(0, 80)}`,
      ).toBe(401);
    }
  }),

  test('a tampered session cookie is refused', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const login = await logIn(browser, fail);
    const genuine = browser.cookies().sid!;
    const forged = forge(genuine, 'ada', 'mallory');
    browser.setCookie('sid', forged);
    note('ada edits her sid cookie');
    cluster.balance('round-robin');
    for (let i = 1; i <= 2; i++) {
      const me = await browser.get('/me');
      if (me.status === 200 && bodyOf(me)?.user === 'mallory') {
        fail(`ada rewrote her sid cookie to say "mallory", and ${me.servedBy} believed it: she is now logged in as mallory. Sign the cookie, or keep only a random id in it.`);
      }
      expect(me.status, `ada edited her sid cookie (logged in on ${login.servedBy}), then ${me.servedBy} answered GET /me with ${me.text().slice(0, 80)}`).toBe(401);
    }
    browser.setCookie('sid', genuine);
    const me = await browser.get('/me');
    expect(me.status, `ada put her genuine cookie back; ${lost(login, me, 'GET /me')}`).toBe(200);
  }),

  test('a session survives processes being killed at random', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const login = await logIn(browser, fail);
    // Before each request, a seeded 40% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.4, kill: true });
    for (let i = 1; i <= 7; i++) {
      const me = await browser.get('/me');
      expect(me.status, `${lost(login, me, `GET /me (request ${i}, with processes being killed at random)`)}; it was generation ${me.generation} of ${me.servedBy}`).toBe(200);
    }
  }),
];
