// Visible tests of the thumbnails kata. The hidden tests run these too, and also kill web processes right after an
// upload, run with no worker at all, kill workers in the middle of a job or right after it, have the queue deliver
// a job twice, and look at which process made each thumbnail.
import { test, type Client, type Expect, type StampedEvent, type TracedResponse } from 'dojo/testing';

/** A JPEG-like photo of `size` bytes: the format's header, then bytes that depend on `salt`. */
export function photo(size: number, salt: number): Uint8Array {
  const bytes = new Uint8Array(size);
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]);
  for (let i = 8; i < size; i++) bytes[i] = (i * 7 + salt * 13) & 0xff;
  return bytes;
}

/** What thumbnail.ts makes of a photo (the same rule, without the waiting). */
export function expectedThumbnail(bytes: Uint8Array): Uint8Array {
  const thumbnail = new Uint8Array(8 + Math.ceil(Math.max(0, bytes.byteLength - 8) / 16));
  thumbnail.set(bytes.subarray(0, 8));
  for (let i = 8, j = 8; i < bytes.byteLength; i += 16, j++) thumbnail[j] = bytes[i]!;
  return thumbnail;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Uploads a photo as a browser would (its bytes as the body), and checks it was taken. Returns the answer and the photo's id. */
export async function upload(browser: Client, expect: Expect, bytes: Uint8Array, what = 'a photo'): Promise<{ res: TracedResponse; id: string }> {
  const res = await browser.post('/photos', { body: bytes, headers: { 'content-type': 'image/jpeg' } });
  expect(res.status, `${res.servedBy} answered the upload of ${what} with ${res.text().slice(0, 80)}`).toBe(202);
  const id = res.json()?.id;
  expect(typeof id === 'string' && /^[\w-]{1,64}$/.test(id), `${res.servedBy} answered the upload of ${what} with ${res.text().slice(0, 80)}: "id" must be the photo's id`).toBe(true);
  return { res, id };
}

/** Checks that GET /photos/:id/thumbnail serves the thumbnail of `bytes`; `story` says what happened before. */
export async function expectThumbnail(browser: Client, expect: Expect, id: string, bytes: Uint8Array, story: string): Promise<void> {
  const res = await browser.get(`/photos/${id}/thumbnail`);
  expect(res.status, `${story}; then ${res.servedBy} answered GET /photos/${id}/thumbnail with ${res.text().slice(0, 80)}`).toBe(200);
  expect(res.headers.get('content-type'), `${story}; then ${res.servedBy} served the thumbnail with another content type than the photo's`).toBe('image/jpeg');
  const served = res.bytes();
  expect(sameBytes(served, expectedThumbnail(bytes)), `${story}; then ${res.servedBy} served ${served.length} bytes that are not what thumbnail.ts makes of the photo`).toBe(true);
}

export const MINUTE = 60_000;

export async function usage(browser: Client): Promise<unknown> {
  return (await browser.get('/usage')).json()?.thumbnails;
}

/** The backing-service calls that stored a thumbnail (an objects.put under `thumbnails/`), in trace order. */
export function thumbnailPuts(events: readonly StampedEvent[], id?: string): Extract<StampedEvent, { kind: 'call' }>[] {
  return events.filter((event): event is Extract<StampedEvent, { kind: 'call' }> =>
    event.kind === 'call' && event.service === 'objects' && event.method === 'put'
    && (event.full?.args ?? event.args).startsWith(`["thumbnails/${id ?? ''}`));
}

export default [
  test('a photo gets its thumbnail, and every web process serves it', async ({ cluster, client, clock, expect }) => {
    await cluster.start({ web: 2, worker: 1 });
    cluster.balance('round-robin');
    const browser = client();
    const bytes = photo(20_000, 1);
    const { res, id } = await upload(browser, expect, bytes);
    await clock.advance(MINUTE);
    const story = `a 20 KB photo was uploaded to ${res.servedBy} a minute ago (a worker is running)`;
    await expectThumbnail(browser, expect, id, bytes, story);
    await expectThumbnail(browser, expect, id, bytes, story);
    expect(await usage(browser), `${story}; GET /usage must count its thumbnail once`).toBe(1);
  }),

  test('the upload is answered before its thumbnail is made', async ({ cluster, client, clock, expect, trace, fail }) => {
    await cluster.start({ web: 1, worker: 1 });
    const { res, id } = await upload(client(), expect, photo(20_000, 2));
    await clock.advance(MINUTE);
    const request = trace.events.find((event) => event.kind === 'request' && event.id === res.requestId)!;
    const response = trace.events.find((event) => event.kind === 'response' && event.id === res.requestId)!;
    const put = thumbnailPuts(trace.events, id)[0];
    if (!put) fail(`the photo was uploaded to ${res.servedBy} and a worker was running, and a minute passed, yet no thumbnail was stored under thumbnails/${id}`);
    expect(
      put.seq > response.seq,
      `${put.process} stored the thumbnail before ${res.servedBy} answered the upload: the upload waited for the slow work. Answer first, and leave the thumbnail to a worker`,
    ).toBe(true);
    expect(
      response.at - request.at,
      `${res.servedBy} kept the uploader waiting for ${response.at - request.at} ms (of the test's clock) before answering: the thumbnail's work must not hold up the answer`,
    ).toBe(0);
  }),

  test('a photo uploaded just before its web process restarts still gets its thumbnail', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 1, worker: 1 });
    const browser = client();
    const bytes = photo(20_000, 3);
    const { res, id } = await upload(browser, expect, bytes);
    await cluster.restart(res.servedBy);
    note(`${res.servedBy} restarted right after it answered the upload (a deploy, a config change, the daily restart)`);
    await clock.advance(MINUTE);
    const story = `a photo was uploaded to ${res.servedBy}, which restarted right after answering, and a minute passed. A restart wipes a process's memory, timers included: the promise to make the thumbnail must be kept outside the web process`;
    await expectThumbnail(browser, expect, id, bytes, story);
    expect(await usage(browser), `${story}; GET /usage must count the thumbnail once`).toBe(1);
  }),
];
