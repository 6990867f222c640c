// Hidden tests of the sessions kata: the visible tests of sample.ts (a login is honoured by every
// process, a session expires after 30 idle minutes), then a session must survive restarts and
// deploys, stay alive while it is used, end on logout for every copy of its cookie, refuse a cookie
// the visitor edited, and leave nothing behind in the store once nobody uses it.
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

  test('a session survives a restart of every process and a deploy', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const login = await logIn(browser, fail);

    await cluster.restartAll();
    note('every process restarted');
    const me = await browser.get('/me');
    expect(
      me.status,
      me.status === 401
        ? `ada logged in on ${login.servedBy}, then every process restarted; her session was gone when ${me.servedBy} (generation ${me.generation}) answered GET /me`
        : lost(login, me, 'GET /me after every process restarted'),
    ).toBe(200);

    await cluster.deploy();
    note('a new release was deployed');
    const after = await browser.get('/me');
    expect(
      after.status,
      after.status === 401
        ? `ada logged in before a deploy; her session was gone when ${after.servedBy} of the new release answered GET /me`
        : lost(login, after, 'GET /me after a deploy'),
    ).toBe(200);
    expect(bodyOf(after)?.user, `${after.servedBy} answered GET /me for ada after a deploy`).toBe('ada');
  }),

  test('a session stays alive while it is used', async ({ cluster, client, clock, expect, fail, note }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const login = await logIn(browser, fail);
    for (let round = 1; round <= 3; round++) {
      await clock.advance(20 * MINUTE);
      note(`20 minutes pass (${round * 20} since ada logged in)`);
      const me = await browser.get('/me');
      expect(
        me.status,
        `ada logged in on ${login.servedBy} ${round * 20} minutes ago and has made a request every 20 minutes since; then ${me.servedBy} answered GET /me`,
      ).toBe(200);
      expect(bodyOf(me)?.user, `${me.servedBy} answered GET /me for ada`).toBe('ada');
    }
  }),

  test('logging out ends the session on every process', async ({ cluster, client, expect, fail, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // every process sees the session before and after the logout
    const browser = client();
    const login = await logIn(browser, fail);
    for (let i = 1; i <= 3; i++) {
      const me = await browser.get('/me');
      expect(me.status, lost(login, me, 'GET /me')).toBe(200);
    }
    const copy = browser.cookies().sid!; // what a shared computer's history, or a thief, keeps
    const logout = await browser.post('/logout');
    expect(logout.ok, `${logout.servedBy} answered POST /logout with ${logout.status}`).toBe(true);
    for (let i = 1; i <= 3; i++) {
      const me = await browser.get('/me');
      expect(
        me.status,
        `ada logged out on ${logout.servedBy}, then ${me.servedBy} answered her next GET /me with ${me.text().slice(0, 80)}`,
      ).toBe(401);
    }
    // The browser obeys Max-Age=0, but nothing makes every copy of the cookie disappear: the server must refuse it.
    browser.setCookie('sid', copy);
    note('someone sends the sid cookie ada had before she logged out');
    for (let i = 1; i <= 3; i++) {
      const me = await browser.get('/me');
      expect(
        me.status,
        `ada logged out on ${logout.servedBy}; someone who kept a copy of her old sid cookie sent it again and ${me.servedBy} answered GET /me with ${me.text().slice(0, 80)}. Clearing the cookie only asks the browser to forget it: logging out must end the session where every process looks for it`,
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

  test('an abandoned session leaves nothing behind in the store', async ({ cluster, client, clock, services, expect, fail, note }) => {
    await cluster.start({ web: 3 });
    for (const user of ['ada', 'grace', 'linus']) {
      const browser = client();
      await logIn(browser, fail, user);
      await browser.get('/me');
    }
    note('ada, grace and linus log in, look around once, and never come back');
    await clock.advance(31 * MINUTE);
    note('31 minutes pass without a request');
    const left = await services.kv.keys('*');
    if (left.length > 0) {
      const described = await Promise.all(left.slice(0, 3).map(async (key) => {
        const ttl = await services.kv.ttl(key);
        return `${key} (${ttl === -1 ? 'no time-to-live' : `expires in ${ttl} s`})`;
      }));
      fail(
        `three visitors logged in and never came back; 31 minutes later the store still holds ${left.length} key(s): ${described.join(', ')}. ` +
          'Checking the age of a session in your code only ends it when its visitor returns; sessions nobody comes back for pile up until the store is full. ' +
          'Give each session a time-to-live of 30 minutes in the store, and start it again on every request.',
      );
    }
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
