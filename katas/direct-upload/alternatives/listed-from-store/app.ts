// A file drop where the object store is the only record: each file's key holds its owner, a new id and its name
// (`files/<user>/<id>/<name>`), so "complete" and the listings ask the store, and the app keeps nothing else.
// The browser sends each file straight to the store with a signed upload URL; no process holds its bytes.
import type { Env } from 'dojo';

const MAX_BYTES = 5 * 1024 * 1024; // 5 MB
const TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'video/mp4'];

const json = (data: unknown, status = 200) => Response.json(data, { status });

/** A file name as one safe key segment: no slash, and no dot left to make `.` or `..`. */
const segment = (name: string) => encodeURIComponent(name).replace(/\./g, '%2E');

type Listed = { id: string; filename: string; contentType: string; size: number; key: string };

/** The files under a prefix of the store, as the app lists them (oldest first). */
async function filesUnder(env: Env, prefix: string): Promise<Listed[]> {
  const objects = await env.objects.list({ prefix });
  return objects
    .sort((a, b) => a.uploaded - b.uploaded)
    .map((object) => {
      const [, , id, name] = object.key.split('/');
      return { id: id!, filename: decodeURIComponent(name!), contentType: object.contentType, size: object.size, key: object.key };
    });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const match = pathname.match(/^\/users\/([\w-]{1,40})\/(uploads|files)(?:\/([\w-]{1,64}))?(?:\/(complete))?$/);
    if (!match) return json({ error: 'not found' }, 404);
    const [, user, collection, id, action] = match;
    const route = `${request.method} ${collection}${id ? '/:id' : ''}${action ? `/${action}` : ''}`;

    if (route === 'POST uploads') {
      const { filename, contentType, size } = await request.json().catch(() => ({}));
      if (typeof filename !== 'string' || filename === '' || !Number.isInteger(size) || size < 0) {
        return json({ error: 'send { filename, contentType, size }' }, 400);
      }
      if (!TYPES.includes(contentType)) return json({ error: `${contentType} is not a PDF, PNG, JPEG or MP4 file` }, 415);
      if (size > MAX_BYTES) return json({ error: 'the file is larger than 5 MB' }, 413);
      const uploadId = crypto.randomUUID();
      const key = `files/${user}/${uploadId}/${segment(filename)}`;
      const uploadUrl = await env.objects.signedUrl(key, { method: 'PUT', expiresIn: 600, contentType, maxBytes: MAX_BYTES });
      return json({ id: uploadId, uploadUrl }, 201);
    }

    if (route === 'POST uploads/:id/complete') {
      const [file] = await filesUnder(env, `files/${user}/${id}/`);
      if (!file) return json({ error: 'the file has not been uploaded (or the upload is unknown)' }, 409);
      const { key: _key, ...shown } = file;
      return json({ ...shown, url: `/users/${user}/files/${id}` }, 201);
    }

    if (route === 'GET files') {
      return json({ files: (await filesUnder(env, `files/${user}/`)).map(({ key: _key, ...shown }) => shown) });
    }

    if (route === 'GET files/:id') {
      const [file] = await filesUnder(env, `files/${user}/${id}/`);
      if (!file) return json({ error: 'no such file' }, 404);
      const url = await env.objects.signedUrl(file.key, { method: 'GET', expiresIn: 60 });
      return new Response(null, { status: 302, headers: { location: url } });
    }

    return json({ error: 'method not allowed' }, 405);
  },
};
