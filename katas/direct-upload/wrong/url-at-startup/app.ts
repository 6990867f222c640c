// WRONG: each process signs one upload URL when it starts and hands the same one to every upload: it lives for
// a week, allows any content type, and every upload lands on the same key.
import type { Env } from 'dojo';

const MAX_BYTES = 5 * 1024 * 1024; // 5 MB
const TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'video/mp4'];
const PENDING_SECONDS = 3600; // an upload not completed within an hour is forgotten

type Pending = { filename: string; contentType: string; key: string };
type StoredFile = { id: string; filename: string; contentType: string; size: number };

const json = (data: unknown, status = 200) => Response.json(data, { status });
const INCOMING = 'files/incoming';
let sharedUrl = ''; // signed once, when the process starts, and handed to every upload

/** The files a user has completed, oldest first. */
async function filesOf(env: Env, user: string): Promise<StoredFile[]> {
  return (await env.kv.lrange(`files:${user}`, 0, -1)).map((entry) => JSON.parse(entry) as StoredFile);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    // Signing in is out of scope: the user is part of the path.
    const match = pathname.match(/^\/users\/([\w-]{1,40})\/(uploads|files)(?:\/([\w-]{1,64}))?(?:\/(complete))?$/);
    if (!match) return json({ error: 'not found' }, 404);
    const [, user, collection, id, action] = match;
    const route = `${request.method} ${collection}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;

    // 1. The browser says what it is about to upload; the app answers where to send it.
    if (route === 'POST uploads') {
      const { filename, contentType, size } = await request.json().catch(() => ({}));
      if (typeof filename !== 'string' || filename === '' || !Number.isInteger(size) || size < 0) {
        return json({ error: 'send { filename, contentType, size }' }, 400);
      }
      if (!TYPES.includes(contentType)) return json({ error: `${contentType} is not a PDF, PNG, JPEG or MP4 file` }, 415);
      if (size > MAX_BYTES) return json({ error: 'the file is larger than 5 MB' }, 413);
      // The server picks the key: a new id per upload, never the file's name (which the browser chooses).
      const uploadId = crypto.randomUUID();
      const pending: Pending = { filename, contentType, key: INCOMING };
      await env.kv.set(`upload:${user}:${uploadId}`, JSON.stringify(pending), { EX: PENDING_SECONDS });
      // A URL made for this one upload: this key, this content type, at most 5 MB, for 15 minutes.
      // The store checks all of it; changing any part of the URL breaks its signature.
      const uploadUrl = sharedUrl;
      return json({ id: uploadId, uploadUrl }, 201);
    }

    // 2. The browser PUTs the file to the upload URL: the object store takes it, no process sees it.

    // 3. The browser says the upload is done; the app asks the store about the file (head: its size and type,
    //    not its bytes) and records it.
    if (route === 'POST uploads/:id/complete') {
      const saved = await env.kv.get(`upload:${user}:${id}`);
      if (!saved) return json({ error: 'no such upload' }, 404);
      const pending = JSON.parse(saved) as Pending;
      const stored = await env.objects.head(pending.key);
      if (!stored) return json({ error: 'the file has not been uploaded yet' }, 409);
      await env.kv.del(`upload:${user}:${id}`);
      const file: StoredFile & { key: string } = { id: id!, filename: pending.filename, contentType: stored.contentType, size: stored.size, key: pending.key };
      await env.kv.rpush(`files:${user}`, JSON.stringify(file));
      return json({ ...file, url: `/users/${user}/files/${id}` }, 201);
    }

    if (route === 'GET files') return json({ files: await filesOf(env, user!) });

    // Downloads skip the web process too: a short-lived signed URL lets the browser fetch the file from the store.
    if (route === 'GET files/:id') {
      const file = (await filesOf(env, user!)).find((candidate) => candidate.id === id);
      if (!file) return json({ error: 'no such file' }, 404);
      const url = await env.objects.signedUrl((file as StoredFile & { key: string }).key, { method: 'GET', expiresIn: 60 });
      return new Response(null, { status: 302, headers: { location: url } });
    }

    return json({ error: 'method not allowed' }, 405);
  },

  // Signing costs a little, so each process signs one URL when it starts, valid for a week.
  async start(env: Env): Promise<void> {
    sharedUrl = await env.objects.signedUrl(INCOMING, { method: 'PUT', expiresIn: 7 * 24 * 3600, maxBytes: MAX_BYTES });
  },
};
