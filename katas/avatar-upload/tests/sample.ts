// Visible tests of the avatar upload kata. The hidden tests also check restarts, re-uploads,
// content types, unknown users and the 1 MB limit.
import { test } from '../../../src/engine/testing/index.ts';
import type { Client, TracedResponse } from '../../../src/engine/testing/types.ts';

/** A small PNG-like file: the PNG signature, then every byte value. */
function png(size: number): Uint8Array {
  const data = new Uint8Array(size);
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) data[i] = (i * 31) & 0xff;
  return data;
}

function upload(browser: Client, user: string, type: string, data: Uint8Array | string): Promise<TracedResponse> {
  return browser.post(`/avatar/${user}`, { multipart: { avatar: { name: `${user}.png`, type, data } } });
}

export default [
  test('an uploaded avatar is served by every process', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // each request goes to the next process
    const picture = png(4000);
    const up = await upload(client(), 'ada', 'image/png', picture);
    expect(up.status, `${up.servedBy} answered ada's upload with ${up.text().slice(0, 80)}`).toBe(201);
    const viewer = client();
    for (let i = 1; i <= 3; i++) {
      const res = await viewer.get('/avatar/ada');
      const story = `ada's avatar was uploaded to ${up.servedBy}; then ${res.servedBy}`;
      expect(res.status, `${story} answered GET /avatar/ada with ${res.text().slice(0, 80)}`).toBe(200);
      expect(res.headers.get('content-type'), `${story} served it with another content type`).toBe('image/png');
      expect(res.bytes().length, `${story} served a different number of bytes`).toBe(picture.length);
    }
  }),

  test('a file that is not an image is refused with 415', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 1 });
    const res = await upload(client(), 'eve', 'text/plain', 'just some text, not a picture');
    expect(res.status, `eve uploaded a text file as her avatar; ${res.servedBy} answered ${res.text().slice(0, 80)}`).toBe(415);
  }),
];
