// Visible tests of the WordPress kata: a login on one process is known to another, a post published on one
// process is on the home page of every process, an upload is served by every process. The hidden tests run
// these too, then check each promise of the brief under restarts and deploys, with a lesson for each.
import { test, type Client, type Expect, type TestContext, type TracedResponse } from 'dojo/testing';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
/** The tests start on 1 January 2026 at midnight (UTC): the virtual clock's first moment. */
export const JAN_1 = Date.UTC(2026, 0, 1);
/** "09:00:30" on 1 January. */
export const at = (hours: number, minutes = 0, seconds = 0) => JAN_1 + hours * HOUR + minutes * MINUTE + seconds * SECOND;
export const clockTime = (time: number) => new Date(time).toISOString().slice(11, 19);

/** The lesson that teaches each promise, for the failure messages. */
export const LESSON = {
  sessions: 'the lesson "Sessions live in a store, not in the process"',
  uploads: 'the lesson "Uploads go to object storage"',
  cache: 'the lesson "Caches are hints: never assume one is still there"',
  disk: 'the lesson "Memory and disk are a brief, single-transaction cache"',
  cron: 'the lesson "Scheduled work runs once, not once per process"',
  wordpress: 'the lesson "WordPress the twelve-factor way"',
};

const short = (res: TracedResponse) => `${res.status} ${res.text().replace(/\s+/g, ' ').slice(0, 90)}`;

/** Why a logged-in admin's request was refused, when it was: the session is not where this process looks. */
const refused = (res: TracedResponse) =>
  res.status === 401
    ? `. The admin had logged in, but ${res.servedBy} (generation ${res.generation}) does not know the session: sessions belong in a store every process shares, with an expiry (${LESSON.sessions})`
    : '';

/** Moves the clock to `time` (it may already be there: a job can move it while it runs). */
export async function advanceTo(clock: TestContext['clock'], time: number): Promise<void> {
  if (time > clock.now()) await clock.advance(time - clock.now());
}

/** Logs the admin in, as the login form would; answers the response (its cookie is in the browser's jar). */
export async function logIn(expect: Expect, browser: Client): Promise<TracedResponse> {
  const res = await browser.post('/wp-login.php', { form: { log: 'admin', pwd: 'correct horse' }, retry: 3 });
  expect(res.status, `POST /wp-login.php with the admin's user name and password was answered by ${res.servedBy} with ${short(res)}`).toBe(200);
  return res;
}

/** Asks /wp-admin/ who is logged in: the response, to check with expectLoggedIn. */
export const whoAmI = (browser: Client) => browser.get('/wp-admin/', { retry: 3 });

/** The admin is still logged in: `story` says what happened since the login. */
export function expectLoggedIn(expect: Expect, res: TracedResponse, story: string, why: string): void {
  expect(res.status, `${story}; then ${res.servedBy} (generation ${res.generation}) answered GET /wp-admin/ with ${short(res)}. ${why}`).toBe(200);
}

/** Publishes a post (or schedules it, with a `date` in the future) from the admin; answers its id. */
export async function publish(expect: Expect, admin: Client, post: { title: string; content?: string; date?: number }): Promise<{ id: number; res: TracedResponse }> {
  const json = { title: post.title, content: post.content ?? `<p>${post.title}, in a few words.</p>`, ...(post.date ? { date: new Date(post.date).toISOString() } : {}) };
  const res = await admin.post('/wp-admin/post.php', { json, retry: 3 });
  expect(res.status, `the admin (logged in) sent POST /wp-admin/post.php for "${post.title}"; ${res.servedBy} answered ${short(res)}${refused(res)}`).toBe(201);
  return { id: res.json().id as number, res };
}

/** A picture-like file: PNG's magic bytes, then every byte value (not valid UTF-8 text). */
export function picture(size: number, salt: number): Uint8Array {
  const data = new Uint8Array(size);
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  for (let i = 8; i < size; i++) data[i] = (i * 31 + salt) & 0xff;
  return data;
}

/** Uploads a PNG to the media library, as WordPress's uploader does (form field "async-upload"); answers its URL. */
export async function upload(expect: Expect, admin: Client, name: string, data: Uint8Array): Promise<{ url: string; res: TracedResponse }> {
  const res = await admin.post('/wp-admin/async-upload.php', { multipart: { 'async-upload': { name, type: 'image/png', data } }, retry: 3 });
  expect(res.status, `the admin uploaded ${name}; ${res.servedBy} answered ${short(res)}${refused(res)}`).toBe(201);
  const url = res.json().url as string;
  expect(typeof url === 'string' && url.length > 0, `the upload of ${name} was answered with ${short(res)}, without the URL of the file`).toBe(true);
  return { url, res };
}

/** The upload is served whole, as a PNG. */
export function expectServed(expect: Expect, res: TracedResponse, data: Uint8Array, story: string): void {
  const why = `Each process has a disk of its own, and a restart wipes it: uploads belong in the object store, which every process shares and which outlives them all (${LESSON.uploads})`;
  expect(res.status, `${story}; then ${res.servedBy} (generation ${res.generation}) answered GET of it with ${short(res)}. ${why}`).toBe(200);
  expect((res.headers.get('content-type') ?? '').split(';')[0], `${story}; then ${res.servedBy} served it with another content type`).toBe('image/png');
  const bytes = res.bytes();
  expect(bytes.length === data.length && bytes.every((byte, i) => byte === data[i]), `${story}; then ${res.servedBy} served ${bytes.length} bytes that are not the ${data.length} uploaded`).toBe(true);
}

/** The home page lists the post: `story` says what happened before. */
export function expectListed(expect: Expect, res: TracedResponse, title: string, story: string, why: string): void {
  expect(res.status, `${story}; then ${res.servedBy} answered GET / with ${short(res)}`).toBe(200);
  expect(res.text().includes(title), `${story}; then ${res.servedBy} (generation ${res.generation}) served a home page without "${title}". ${why}`).toBe(true);
}

export const STALE_PAGE =
  `A cached page must be emptied for every process when a post is published: a cache on one process's disk (or in its memory) is emptied ` +
  `only on the process that published, and a shared cache that is never emptied serves the old page until it expires. ` +
  `Share the cache and empty it on publish, or don't cache pages at all (${LESSON.cache})`;

export default [
  test('a login on one process is known to the others', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const admin = client();
    const login = await logIn(expect, admin);
    for (let i = 0; i < 2; i++) {
      expectLoggedIn(
        expect,
        await whoAmI(admin),
        `the admin logged in on ${login.servedBy}`,
        `PHP keeps sessions in files on the disk of the process that started them: other processes have never seen the session. Sessions belong in a store every process shares, with an expiry (${LESSON.sessions})`,
      );
    }
  }),

  test('a new post is on the home page, whichever process answers', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const admin = client();
    const reader = client();
    await logIn(expect, admin);
    await publish(expect, admin, { title: 'Hello world' });
    for (let i = 0; i < 2; i++) await reader.get('/'); // both processes have shown the home page
    const { res } = await publish(expect, admin, { title: 'A second post' });
    for (let i = 0; i < 2; i++) {
      expectListed(expect, await reader.get('/'), 'A second post', `both processes had shown the home page; then "A second post" was published on ${res.servedBy}`, STALE_PAGE);
    }
  }),

  test('an uploaded image is served by every process', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const admin = client();
    await logIn(expect, admin);
    const cat = picture(3000, 7);
    const { url, res } = await upload(expect, admin, 'cat.png', cat);
    const reader = client();
    for (let i = 0; i < 2; i++) expectServed(expect, await reader.get(url), cat, `cat.png was uploaded to ${res.servedBy}`);
  }),
];
