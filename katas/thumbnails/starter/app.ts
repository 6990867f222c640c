// Photos: POST /photos stores a photo and answers at once; its thumbnail is made in the background.
// GET /photos/:id/thumbnail serves the thumbnail once it is made; GET /usage says how many thumbnails were billed.
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

      // Make the thumbnail in the background, so the upload is answered right away.
      setTimeout(async () => {
        const thumbnail = await makeThumbnail(photo);
        await env.objects.put(`thumbnails/${id}`, thumbnail, { contentType });
        await env.kv.incr('usage:thumbnails'); // each thumbnail made costs the customer one credit
      }, 0);

      return Response.json({ id, thumbnail: `/photos/${id}/thumbnail` }, { status: 202 });
    }

    const wanted = pathname.match(/^\/photos\/([\w-]{1,64})\/thumbnail$/)?.[1];
    if (request.method === 'GET' && wanted) {
      const thumbnail = await env.objects.get(`thumbnails/${wanted}`);
      if (!thumbnail) return Response.json({ error: 'no thumbnail (yet) for this photo' }, { status: 404 });
      return new Response(await thumbnail.arrayBuffer(), { headers: { 'content-type': thumbnail.contentType } });
    }

    if (request.method === 'GET' && pathname === '/usage') {
      return Response.json({ thumbnails: Number((await env.kv.get('usage:thumbnails')) ?? 0) });
    }

    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
