// Visible tests of the avatar upload kata. The hidden tests run these too, and also check
// restarts and deploys, re-uploads, content types, unknown users and the 1 MB limit.
import { test, type Client, type Expect, type TracedResponse } from 'dojo/testing';

type Kind = 'png' | 'jpeg' | 'gif' | 'webp';

const HEADERS: Record<Kind, number[]> = {
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  jpeg: [0xff, 0xd8, 0xff, 0xe0],
  gif: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61],
  webp: [0x52, 0x49, 0x46, 0x46, 0x00, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50],
};

/** A picture-like file: the format's magic bytes, then every byte value (not valid UTF-8 text). */
export function picture(kind: Kind, size: number, salt: number): { type: string; data: Uint8Array } {
  const data = new Uint8Array(size);
  data.set(HEADERS[kind]);
  for (let i = HEADERS[kind].length; i < size; i++) data[i] = (i * 31 + salt) & 0xff;
  return { type: `image/${kind}`, data };
}

/** Uploads `file` as `user`'s avatar, as a browser's form would (form field "avatar"). */
export function upload(browser: Client, user: string, file: { type: string; data: Uint8Array }): Promise<TracedResponse> {
  const name = `${user}.${file.type.split('/')[1]}`;
  return browser.post(`/avatar/${user}`, { multipart: { avatar: { name, type: file.type, data: file.data } } });
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const typeOf = (res: TracedResponse) => (res.headers.get('content-type') ?? '(none)').split(';')[0]!.trim();

/** Checks that `res` served `file` (status 200, the same content type, the same bytes); `story` says what happened before. */
export function expectServed(expect: Expect, res: TracedResponse, file: { type: string; data: Uint8Array }, story: string, user = 'ada'): void {
  expect(res.status, `${story}; then ${res.servedBy} answered GET /avatar/${user} with ${res.text().slice(0, 80)}`).toBe(200);
  expect(typeOf(res), `${story}; then ${res.servedBy} served it with another content type`).toBe(file.type);
  const bytes = res.bytes();
  expect(
    sameBytes(bytes, file.data),
    `${story}; then ${res.servedBy} served ${bytes.length} bytes that are not the ${file.data.length} bytes uploaded`,
  ).toBe(true);
}

export default [
  test('an uploaded avatar is served by every process', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    const png = picture('png', 4000, 1);
    const up = await upload(client(), 'ada', png);
    expect(up.status, `${up.servedBy} answered ada's upload with ${up.text().slice(0, 80)}`).toBe(201);
    expect(up.json()?.url, `${up.servedBy} answered ada's upload`).toBe('/avatar/ada');
    const viewer = client();
    const story = `ada's avatar was uploaded to ${up.servedBy}`;
    for (let i = 1; i <= 6; i++) {
      if (i === 4) cluster.balance('round-robin'); // make sure every process answers
      const res = await viewer.get('/avatar/ada');
      expectServed(expect, res, png, story);
      expect(
        res.headers.get('content-type'),
        `${story}; then ${res.servedBy} served it with a content-type header that isn't exactly the type uploaded`,
      ).toBe('image/png');
    }
  }),

  test('a file that is not an image is refused with 415', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const browser = client();
    const notImages = [
      { name: 'eve.png', type: 'text/plain', data: 'just some text, not a picture' }, // named like a picture: its type decides
      { name: 'eve.txt', type: 'text/plain', data: 'just some text, not a picture' },
      { name: 'eve.txt', type: 'application/pdf', data: '%PDF-1.7 not a picture either' },
    ];
    for (const file of notImages) {
      const res = await browser.post('/avatar/eve', { multipart: { avatar: file } });
      expect(
        res.status,
        `eve uploaded a ${file.type} file named ${file.name} as her avatar; ${res.servedBy} answered ${res.text().slice(0, 80)}`,
      ).toBe(415);
    }
    for (let i = 1; i <= 2; i++) {
      const res = await browser.get('/avatar/eve');
      expect(res.status, `eve's uploads were refused, so she has no avatar; ${res.servedBy} answered GET /avatar/eve`).toBe(404);
    }
  }),
];
