// Signed upload and download URLs: the browser talks to the object store directly; expired or changed URLs are refused.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import type { TracedResponse } from '../../../src/engine/testing/types.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** The direct-upload pattern: the app hands out a URL; the browser PUTs the file to the store; the app only records it. */
const app = `
import type { Env } from 'dojo';
export default {
  async fetch(request: Request, env: Env) {
    const url = new URL(request.url);
    if (url.pathname === '/upload-url') {
      const key = 'avatars/' + url.searchParams.get('user');
      const put = await env.objects.signedUrl(key, { method: 'PUT', expiresIn: 300, contentType: 'image/png', maxBytes: 1000 });
      return Response.json({ put });
    }
    if (url.pathname === '/download-url') {
      const get = await env.objects.signedUrl('avatars/' + url.searchParams.get('user'), { method: 'GET', expiresIn: 60 });
      return Response.json({ get });
    }
    return new Response('not found', { status: 404 });
  },
};`;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

async function scenario(
  act: (urls: { put: string; get: () => Promise<string> }, tools: { browser: ReturnType<Parameters<Parameters<typeof runApp>[2]>[0]['client']>; advance: (ms: number) => Promise<void> }) => Promise<TracedResponse>,
) {
  let final: TracedResponse | undefined;
  const { result, events } = await runApp(host, app, async ({ cluster, client, clock }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const put = (await browser.get('/upload-url?user=ada')).json().put as string;
    const get = async () => (await browser.get('/download-url?user=ada')).json().get as string;
    final = await act({ put, get }, { browser, advance: (ms) => clock.advance(ms) });
  });
  expect(result.status, dump(result)).toBe('pass');
  return { response: final!, events };
}

describe('signed URLs', () => {
  it('an upload through a signed URL is stored without reaching any process, and a signed GET reads it back', async () => {
    let stored: Uint8Array | undefined;
    const { response, events } = await scenario(async ({ put, get }, { browser }) => {
      const uploaded = await browser.put(put, { body: PNG, headers: { 'content-type': 'image/png' } });
      if (uploaded.status !== 200) throw new Error(`upload: ${uploaded.status} ${uploaded.text()}`);
      const read = await browser.get(await get());
      stored = read.bytes();
      return read;
    });
    expect(response.status).toBe(200);
    expect(response.servedBy).toBe('storage');
    expect(response.headers.get('content-type')).toBe('image/png');
    expect([...stored!]).toEqual([...PNG]);
    const storageRequests = eventsOf(events, 'request').filter((event) => event.process === 'storage');
    expect(storageRequests.map((event) => event.method)).toEqual(['PUT', 'GET']);
    expect(eventsOf(events, 'call').filter((event) => event.method === 'put')).toEqual([]);
  });

  it('an expired URL is refused with AccessDenied', async () => {
    const { response } = await scenario(async ({ put }, { browser, advance }) => {
      await advance(301_000);
      return browser.put(put, { body: PNG, headers: { 'content-type': 'image/png' } });
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-storage-error')).toBe('AccessDenied');
    expect(response.text()).toContain('expired');
  });

  it.each([
    ['key', (url: string) => url.replace('avatars/ada', 'avatars/eve')],
    ['expiry', (url: string) => url.replace(/X-Dojo-Expires=(\d+)/, (_all, ms) => `X-Dojo-Expires=${Number(ms) + 3_600_000}`)],
    ['size limit', (url: string) => url.replace('X-Dojo-Max-Bytes=1000', 'X-Dojo-Max-Bytes=99999999')],
  ])('a URL whose %s was changed is refused with SignatureDoesNotMatch', async (_part, tamper) => {
    const { response } = await scenario(async ({ put }, { browser }) => {
      const changed = tamper(put);
      if (changed === put) throw new Error('the tampering changed nothing');
      return browser.put(changed, { body: PNG, headers: { 'content-type': 'image/png' } });
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-storage-error')).toBe('SignatureDoesNotMatch');
  });

  it('an upload larger than the URL allows is refused with EntityTooLarge, and nothing is stored', async () => {
    let after = -1;
    const { response } = await scenario(async ({ put, get }, { browser }) => {
      const refused = await browser.put(put, { body: new Uint8Array(1001), headers: { 'content-type': 'image/png' } });
      after = (await browser.get(await get())).status;
      return refused;
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('x-storage-error')).toBe('EntityTooLarge');
    expect(after).toBe(404);
  });

  it('an upload with another content type, or a GET on a PUT URL, is refused', async () => {
    const { response } = await scenario(async ({ put }, { browser }) => browser.put(put, { body: PNG, headers: { 'content-type': 'text/html' } }));
    expect(response.status).toBe(403);
    const { response: wrongMethod } = await scenario(async ({ put }, { browser }) => browser.get(put));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('x-storage-error')).toBe('MethodNotAllowed');
  });
});
