// The test client keeps cookies as a browser does: it forgets them when they expire and refuses ones over 4 KB.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** Sets the cookie `/set?name=&size=&attrs=` asks for, and echoes the Cookie header it got. */
const app = `
export default {
  async fetch(request: Request) {
    const url = new URL(request.url);
    if (url.pathname === '/set') {
      const value = 'x'.repeat(Number(url.searchParams.get('size') ?? 1));
      const attrs = url.searchParams.get('attrs') ?? '';
      return new Response('set', { headers: { 'set-cookie': url.searchParams.get('name') + '=' + value + attrs } });
    }
    return new Response(request.headers.get('cookie') ?? '');
  },
};`;

/** Runs `steps` against one web process and returns what each `GET /` saw, and the trace's notes. */
async function cookieRun(steps: (get: (path: string) => Promise<string>, advance: (ms: number) => Promise<void>) => Promise<void>) {
  const seen: string[] = [];
  const { result } = await runApp(host, app, async ({ cluster, client, clock }) => {
    await cluster.start({ web: 1 });
    const browser = client();
    await steps(async (path) => {
      const text = (await browser.get(path)).text();
      if (path === '/') seen.push(text);
      return text;
    }, (ms) => clock.advance(ms));
  });
  expect(result.status, dump(result)).toBe('pass');
  const notes = result.events.filter((event) => event.kind === 'note').map((event) => (event as { text: string }).text);
  return { seen, notes };
}

describe('the test client\'s cookies', () => {
  it('a cookie is sent until its Max-Age runs out in virtual time, then never again', async () => {
    const { seen } = await cookieRun(async (get, advance) => {
      await get('/set?name=sid&size=3&attrs=' + encodeURIComponent('; Max-Age=60'));
      await get('/');
      await advance(59_000);
      await get('/');
      await advance(1_000);
      await get('/');
    });
    expect(seen).toEqual(['sid=xxx', 'sid=xxx', '']);
  });

  it('Max-Age wins over Expires, and an Expires date in the past deletes the cookie', async () => {
    const { seen } = await cookieRun(async (get, advance) => {
      await get('/set?name=a&size=1&attrs=' + encodeURIComponent('; Expires=Thu, 01 Jan 2099 00:00:00 GMT; Max-Age=10'));
      await advance(10_000);
      await get('/');
      await get('/set?name=b&size=1');
      await get('/');
      await get('/set?name=b&size=1&attrs=' + encodeURIComponent('; Expires=Thu, 01 Jan 1970 00:00:00 GMT'));
      await get('/');
    });
    expect(seen).toEqual(['', 'b=x', '']);
  });

  it('a cookie over 4096 bytes is dropped as a browser drops it, the old value stays, and the trace says why', async () => {
    const { seen, notes } = await cookieRun(async (get) => {
      await get('/set?name=cart&size=10');
      await get('/set?name=cart&size=5000');
      await get('/');
      await get('/set?name=cart&size=4092'); // 4 bytes of name + 4092 of value: exactly the limit, kept
      await get('/');
    });
    expect(seen).toEqual(['cart=' + 'x'.repeat(10), 'cart=' + 'x'.repeat(4092)]);
    expect(notes).toEqual([expect.stringMatching(/dropped the cookie "cart" that web\.1 set: 5004 bytes .* over the 4096 a browser keeps/)]);
  });
});
