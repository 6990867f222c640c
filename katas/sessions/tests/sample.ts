// Visible tests of the sessions kata. The hidden tests run these too, and also check restarts,
// sessions that are kept alive by use, logging out, cookies a visitor has edited, and what is
// left in the store after visitors go away.
import { test, type Client, type TestContext, type TracedResponse } from 'dojo/testing';

export const MINUTE = 60_000;

/** The body of a response as JSON, or null when it isn't JSON. */
export function bodyOf(res: TracedResponse): any {
  try {
    return res.json();
  } catch {
    return null;
  }
}

/** Logs `user` in and checks that the browser got a `sid` cookie. */
export async function logIn(browser: Client, fail: TestContext['fail'], user = 'ada'): Promise<TracedResponse> {
  const res = await browser.post('/login', { json: { user } });
  if (!res.ok) fail(`${res.servedBy} answered POST /login for ${user} with ${res.status}: ${res.text().slice(0, 100)}`);
  if (!browser.cookies().sid) {
    fail(`after ${res.servedBy} answered POST /login, the browser held no sid cookie; the session (or its id) belongs in a cookie named sid`);
  }
  return res;
}

/** What happened to a request that should have found the session created at `login`. */
export function lost(login: TracedResponse, res: TracedResponse, what: string): string {
  return res.status === 401
    ? `the session created on ${login.servedBy} was gone when ${res.servedBy} answered ${what}`
    : `${res.servedBy} answered ${what} with ${res.status} (${res.text().slice(0, 100)}) for the session created on ${login.servedBy}`;
}

export default [
  test('a login is honoured by every process', async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const login = await logIn(browser, fail);
    for (let i = 1; i <= 6; i++) {
      if (i === 4) cluster.balance('round-robin'); // make sure every process answers
      const me = await browser.get('/me');
      expect(me.status, lost(login, me, `GET /me (request ${i} after logging in)`)).toBe(200);
      expect(bodyOf(me)?.user, `${me.servedBy} answered GET /me for ada, who logged in on ${login.servedBy}`).toBe('ada');
    }
  }),

  test('a session expires after 30 minutes without a request', async ({ cluster, client, clock, expect, fail, note }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    const login = await logIn(browser, fail);
    const me = await browser.get('/me');
    expect(me.status, lost(login, me, 'GET /me right after logging in')).toBe(200);

    await clock.advance(31 * MINUTE);
    note('31 minutes pass without a request');
    cluster.balance('round-robin');
    for (let i = 1; i <= 3; i++) {
      const late = await browser.get('/me');
      expect(
        late.status,
        `ada's last request was 31 minutes earlier, so her session should have ended; ${late.servedBy} answered GET /me with ${late.text().slice(0, 80)}`,
      ).toBe(401);
    }
  }),
];
