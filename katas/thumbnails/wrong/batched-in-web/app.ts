// Wrong: the worker is right, but the web process keeps the jobs to enqueue in a list in its memory and sends them to
// the queue three at a time. A web process killed (or restarted) before its next batch loses the jobs it was holding.
import type { Env } from 'dojo';

// Uploads since the last batch: enqueued three at a time, to spare the queue a call per upload.
const batch: string[] = [];
const BATCH_SIZE = 3;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'POST' && pathname === '/photos') {
      const photo = new Uint8Array(await request.arrayBuffer());
      const contentType = request.headers.get('content-type') ?? 'application/octet-stream';
      const id = crypto.randomUUID();
      await env.objects.put(`photos/${id}`, photo, { contentType });
      batch.push(id);
      if (batch.length >= BATCH_SIZE) {
        for (const waiting of batch.splice(0)) await env.queue.enqueue('thumbnails', { id: waiting });
      }
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
