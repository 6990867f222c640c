// Avatars: POST /avatar/:user stores a user's picture, GET /avatar/:user serves it.
// Pictures go to the object store, which every process shares and which outlives them all,
// so any process can serve any avatar, and no process keeps a file of its own.
import type { Env } from 'dojo';

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
      // The store keeps the content type with the bytes: nothing else to remember.
      // Putting under the same key replaces the old picture, for every process at once.
      await env.objects.put(key, new Uint8Array(await avatar.arrayBuffer()), { contentType: avatar.type });
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
