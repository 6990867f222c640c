// Wrong: see worker.ts (this file is the solution's).
import type { Env } from 'dojo';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'POST' && pathname === '/photos') {
      const photo = new Uint8Array(await request.arrayBuffer());
      const contentType = request.headers.get('content-type') ?? 'application/octet-stream';
      const id = crypto.randomUUID();
      await env.objects.put(`photos/${id}`, photo, { contentType });
      // The job names the photo; the photo itself is in the object store, where the worker reads it.
      // It is enqueued before the answer leaves, so a web process killed right after answering loses nothing.
      await env.queue.enqueue('thumbnails', { id });
      return Response.json({ id, thumbnail: `/photos/${id}/thumbnail` }, { status: 202 });
    }

    const wanted = pathname.match(/^\/photos\/([\w-]{1,64})\/thumbnail$/)?.[1];
    if (request.method === 'GET' && wanted) {
      const thumbnail = await env.objects.get(`thumbnails/${wanted}`);
      if (!thumbnail) return Response.json({ error: 'no thumbnail (yet) for this photo' }, { status: 404 });
      return new Response(await thumbnail.arrayBuffer(), { headers: { 'content-type': thumbnail.contentType } });
    }

    if (request.method === 'GET' && pathname === '/usage') {
      // One member per billed photo: the count cannot go past the photos, however often a job ran.
      return Response.json({ thumbnails: await env.kv.scard('usage:billed') });
    }

    return Response.json({ error: 'not found' }, { status: 404 });
  },
};
