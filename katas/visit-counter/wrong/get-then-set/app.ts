// Wrong: read the count, add one, write it back. Each step is atomic, the three together
// are not: two requests that read 41 at the same time both write 42, and a visit is lost.
import type { Env } from 'dojo';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/') {
      const visits = Number((await env.kv.get('visits')) ?? 0) + 1;
      await env.kv.set('visits', visits);
      return Response.json({ visits });
    }
    if (request.method === 'GET' && pathname === '/visits') {
      return Response.json({ visits: Number((await env.kv.get('visits')) ?? 0) });
    }
    return new Response('Not found', { status: 404 });
  },
};
