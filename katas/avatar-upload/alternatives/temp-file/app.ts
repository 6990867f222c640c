// Avatars, with a temp file that lives for one request: the upload is written to local disk
// (as a library that wants a file path, an image resizer say, would need), checked there, put
// in the object store, and deleted before the answer goes out. That is the "brief,
// single-transaction cache" factor VI allows: nothing expects the file on a later request.
import type { Env } from 'dojo';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';

const MAX_BYTES = 1024 * 1024; // 1 MB
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // Only simple user names: they become part of the object's key.
    const user = new URL(request.url).pathname.match(/^\/avatar\/([\w-]{1,40})$/)?.[1];
    if (!user) return Response.json({ error: 'not found' }, { status: 404 });
    const key = `avatars/${user}`;

    if (request.method === 'POST') {
      const avatar = (await request.formData()).get('avatar');
      if (!avatar || typeof avatar === 'string') {
        return Response.json({ error: 'send the picture as a file in the form field "avatar"' }, { status: 400 });
      }
      if (!IMAGE_TYPES.includes(avatar.type)) {
        return Response.json({ error: `${avatar.type || 'this file'} is not a PNG, JPEG, GIF or WebP image` }, { status: 415 });
      }
      if (avatar.size > MAX_BYTES) {
        return Response.json({ error: 'the picture is larger than 1 MB' }, { status: 413 });
      }
      const temp = `./tmp/upload-${crypto.randomUUID()}`; // a name no other request uses
      try {
        await mkdir('./tmp', { recursive: true });
        await writeFile(temp, new Uint8Array(await avatar.arrayBuffer()));
        const bytes = new Uint8Array(await readFile(temp)); // stands in for the work a tool does on the file
        await env.objects.put(key, bytes, { contentType: avatar.type });
      } finally {
        await rm(temp, { force: true }); // gone before the answer, whatever happened
      }
      return Response.json({ url: `/avatar/${user}` }, { status: 201 });
    }

    if (request.method === 'GET') {
      const stored = await env.objects.get(key);
      if (!stored) return Response.json({ error: `${user} has no avatar` }, { status: 404 });
      return new Response(await stored.arrayBuffer(), { headers: { 'content-type': stored.contentType } });
    }

    return Response.json({ error: 'method not allowed' }, { status: 405 });
  },
};
