// Wrong: the thumbnail is still made by the web process, right after the answer leaves (setImmediate instead of a
// timer), and billed with a set. The upload is answered fast, but the web process does the slow work, a restart
// loses it, and web and workers cannot be scaled apart.
import type { Env } from 'dojo';
import { makeThumbnail } from './thumbnail.ts';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'POST' && pathname === '/photos') {
      const photo = new Uint8Array(await request.arrayBuffer());
      const contentType = request.headers.get('content-type') ?? 'application/octet-stream';
      const id = crypto.randomUUID();
      await env.objects.put(`photos/${id}`, photo, { contentType });
      setImmediate(async () => {
        const thumbnail = await makeThumbnail(photo);
        await env.objects.put(`thumbnails/${id}`, thumbnail, { contentType });
        await env.kv.sadd('usage:billed', id);
      });
      return Response.json({ id, thumbnail: `/photos/${id}/thumbnail` }, { status: 202 });
    }

    const wanted = pathname.match(/^\/photos\/([\w-]{1,64})\/thumbnail$/)?.[1];
    if (request.method === 'GET' && wanted) {
      const thumbnail = await env.objects.get(`thumbnails/${wanted}`);
      if (!thumbnail) return Response.json({ error: 'no thumbnail (yet) for this photo' }, { status: 404 });
      return new Response(await thumbnail.arrayBuffer(), { headers: { 'content-type': thumbnail.contentType } });
    }

    if (request.method === 'GET' && pathname === '/usage') {
      return Response.json({ thumbnails: await env.kv.scard('usage:billed') });
    }

    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
