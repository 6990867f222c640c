// Visible tests of the direct upload kata. The hidden tests run these too, and also check what the upload URL
// allows, that it expires, that the server picks every key, restarts in the middle of an upload, and random kills.
import { test, type Client, type Expect, type StampedEvent, type TracedResponse } from 'dojo/testing';

export interface TestFile {
  name: string;
  type: string;
  data: Uint8Array;
}

/** A binary file-like body (every byte value, so it is never mistaken for text); `salt` makes each one different. */
export function makeFile(name: string, size: number, salt: number, type = 'application/pdf'): TestFile {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 7 + salt * 13) & 0xff;
  return { name, type, data };
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

const short = (res: TracedResponse) => `${res.status} ${res.text().slice(0, 100)}`;

/** Step 1: ask the app for an upload URL. Checks the answer's shape and returns it. */
export async function startUpload(
  expect: Expect,
  browser: Client,
  user: string,
  file: TestFile,
  declared: { contentType?: string; size?: number } = {},
): Promise<{ id: string; uploadUrl: string; response: TracedResponse }> {
  const response = await browser.post(`/users/${user}/uploads`, {
    json: { filename: file.name, contentType: declared.contentType ?? file.type, size: declared.size ?? file.data.length },
  });
  expect(response.status, `${user} asked for an upload URL for ${file.name}; ${response.servedBy} answered ${short(response)}`).toBe(201);
  const { id, uploadUrl } = response.json() ?? {};
  expect(typeof id === 'string' && typeof uploadUrl === 'string', `${response.servedBy} answered ${short(response)}: expected { id, uploadUrl }`).toBe(true);
  return { id, uploadUrl, response };
}

/** Step 2: send the file to the upload URL, as a browser's fetch(uploadUrl, { method: 'PUT', body: file }) would. */
export function sendFile(browser: Client, uploadUrl: string, file: TestFile, contentType = file.type): Promise<TracedResponse> {
  return browser.put(uploadUrl, { body: file.data, headers: { 'content-type': contentType } });
}

/** Step 3: tell the app the upload is complete. */
export function complete(browser: Client, user: string, id: string): Promise<TracedResponse> {
  return browser.post(`/users/${user}/uploads/${id}/complete`);
}

/** All three steps, each checked; returns the new file's id. */
export async function upload(expect: Expect, browser: Client, user: string, file: TestFile): Promise<string> {
  const { id, uploadUrl } = await startUpload(expect, browser, user, file);
  const sent = await sendFile(browser, uploadUrl, file);
  expect(sent.ok, `${user} sent ${file.name} to the upload URL the app gave; ${sent.servedBy} answered ${short(sent)}`).toBe(true);
  const done = await complete(browser, user, id);
  expect(done.status, `${user} sent ${file.name}, then said the upload was complete; ${done.servedBy} answered ${short(done)}`).toBe(201);
  return id;
}

/** GET /users/:user/files/:id, following a redirect (to a signed download URL, say) as a browser would. */
export async function download(browser: Client, user: string, id: string): Promise<TracedResponse> {
  const first = await browser.get(`/users/${user}/files/${id}`);
  const location = first.headers.get('location');
  if (first.status >= 300 && first.status < 400 && location) return browser.get(location);
  return first;
}

/** Checks that the file `id` downloads as exactly `file`'s bytes; `story` says what happened before. */
export async function expectDownload(expect: Expect, browser: Client, user: string, id: string, file: TestFile, story: string): Promise<void> {
  const res = await download(browser, user, id);
  expect(res.status, `${story}; then downloading ${user}'s ${file.name} answered ${short(res)} (from ${res.servedBy})`).toBe(200);
  const bytes = res.bytes();
  expect(
    sameBytes(bytes, file.data),
    `${story}; then downloading ${user}'s ${file.name} gave ${bytes.length} bytes that are not the ${file.data.length} bytes ${user} uploaded`,
  ).toBe(true);
}

/** The files the app lists for `user`. */
export async function listed(expect: Expect, browser: Client, user: string): Promise<{ id: string; filename: string; contentType: string; size: number }[]> {
  const res = await browser.get(`/users/${user}/files`);
  expect(res.status, `${res.servedBy} answered GET /users/${user}/files with ${short(res)}`).toBe(200);
  return res.json()?.files ?? [];
}

const BYTES = /<(\d+) bytes>/g;

/** The size of a body or value as the trace shows it: `<N bytes>` for binary, else the text's length. */
function sizeIn(text: string | undefined): number {
  if (!text) return 0;
  const counts = [...text.matchAll(BYTES)].map((match) => Number(match[1]));
  return counts.length > 0 ? Math.max(...counts) : text.length;
}

/**
 * Every place in the trace where an app process held at least `atLeast` bytes of a body: a request it received, a
 * response it sent, or an object it read from or wrote to the store. Empty when no process touched a file's bytes.
 */
export function bytesInProcesses(events: readonly StampedEvent[], atLeast: number): string[] {
  const found: string[] = [];
  const kb = (n: number) => `${Math.round(n / 1024)} KB`;
  const paths = new Map<number, string>();
  for (const event of events) {
    if (event.kind === 'request') paths.set(event.id, `${event.method} ${event.path}`);
    if ((event.kind === 'request' || event.kind === 'response') && event.process !== 'storage' && event.process !== 'balancer') {
      const size = sizeIn(event.body);
      if (size >= atLeast) {
        found.push(event.kind === 'request'
          ? `${event.process} received a ${kb(size)} request (${event.method} ${event.path})`
          : `${event.process} sent a ${kb(size)} response (to ${paths.get(event.id) ?? 'a request'})`);
      }
    }
    if (event.kind === 'call' && event.service === 'objects') {
      const size = Math.max(sizeIn(event.full?.args ?? event.args), sizeIn(event.full?.result ?? event.result));
      if (size >= atLeast) found.push(`${event.process} ${event.method === 'get' ? 'read' : 'passed'} ${kb(size)} of a file (env.objects.${event.method})`);
    }
  }
  return found;
}

export default [
  test('a file sent to the upload URL is listed and can be downloaded', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // each step lands on another process
    const ada = client();
    const report = makeFile('report.pdf', 40_000, 1);
    const id = await upload(expect, ada, 'ada', report);
    const files = await listed(expect, ada, 'ada');
    const entry = files.find((candidate) => candidate.id === id);
    expect(entry, `ada uploaded report.pdf (id ${id}), but her list of files is ${JSON.stringify(files).slice(0, 200)}`).toBeTruthy();
    expect(
      [entry!.filename, entry!.contentType, entry!.size],
      `ada's list shows report.pdf with the wrong name, type or size`,
    ).toEqual(['report.pdf', 'application/pdf', 40_000]);
    for (let i = 1; i <= 3; i++) await expectDownload(expect, ada, 'ada', id, report, 'ada uploaded report.pdf');
  }),

  test("the file's bytes never pass through an app process", async ({ cluster, client, expect, fail, trace }) => {
    await cluster.start({ web: 2 });
    const ada = client();
    const video = makeFile('holiday.mp4', 300 * 1024, 2, 'video/mp4');
    const id = await upload(expect, ada, 'ada', video);
    await expectDownload(expect, ada, 'ada', id, video, 'ada uploaded a 300 KB video');
    const touched = bytesInProcesses(trace.events, 20_000);
    if (touched.length > 0) {
      fail(
        `ada uploaded a 300 KB video and downloaded it again, but ${touched.join('; ')}. ` +
          'Each byte that goes through a web process ties it up (memory, time, a request a restart can cut off). ' +
          'Hand the browser a signed upload URL, so it sends the file straight to the object store.',
      );
    }
  }),
];
