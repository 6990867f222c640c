// Wrong: no files on disk any more, but the pictures are kept in a Map in this process's
// memory: other processes don't have them, and a restart loses them all.
import type { Env } from 'dojo';

const avatars = new Map<string, { bytes: ArrayBuffer; type: string }>();
const MAX_BYTES = 1024 * 1024; // 1 MB
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    // Only simple user names, so nobody can upload to a path like ../../etc
    const user = new URL(request.url).pathname.match(/^\/avatar\/([\w-]{1,40})$/)?.[1];
    if (!user) return Response.json({ error: 'not found' }, { status: 404 });

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
      avatars.set(user, { bytes: await avatar.arrayBuffer(), type: avatar.type });
      return Response.json({ url: `/avatar/${user}` }, { status: 201 });
    }

    if (request.method === 'GET') {
      const stored = avatars.get(user);
      if (!stored) return Response.json({ error: `${user} has no avatar` }, { status: 404 });
      return new Response(stored.bytes, { headers: { 'content-type': stored.type } });
    }

    return Response.json({ error: 'method not allowed' }, { status: 405 });
  },
};
