// Wrong: uploads go to the object store, and each process keeps a copy in ./uploads to serve
// it faster next time. Nothing tells the other processes when a user uploads a new picture,
// so they go on serving their old copy.
import type { Env } from 'dojo';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const UPLOADS = './uploads';
const MAX_BYTES = 1024 * 1024; // 1 MB
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

function keepCopy(file: string, typeFile: string, bytes: Uint8Array, type: string): void {
  mkdirSync(UPLOADS, { recursive: true });
  writeFileSync(file, bytes);
  writeFileSync(typeFile, type);
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // Only simple user names, so nobody can upload to a path like ../../etc
    const user = new URL(request.url).pathname.match(/^\/avatar\/([\w-]{1,40})$/)?.[1];
    if (!user) return Response.json({ error: 'not found' }, { status: 404 });
    const file = `${UPLOADS}/${user}.png`;
    const typeFile = `${UPLOADS}/${user}.type`; // the content type it was uploaded with

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
      const bytes = new Uint8Array(await avatar.arrayBuffer());
      await env.objects.put(`avatars/${user}`, bytes, { contentType: avatar.type });
      keepCopy(file, typeFile, bytes, avatar.type);
      return Response.json({ url: `/avatar/${user}` }, { status: 201 });
    }

    if (request.method === 'GET') {
      if (!existsSync(file)) {
        const stored = await env.objects.get(`avatars/${user}`);
        if (!stored) return Response.json({ error: `${user} has no avatar` }, { status: 404 });
        keepCopy(file, typeFile, stored.body, stored.contentType);
      }
      return new Response(readFileSync(file), { headers: { 'content-type': readFileSync(typeFile, 'utf8') } });
    }

    return Response.json({ error: 'method not allowed' }, { status: 405 });
  },
};
