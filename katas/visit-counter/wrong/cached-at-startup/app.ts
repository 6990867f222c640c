// Wrong: the count is loaded from the store once, at start-up, then counted in memory and
// written back. Each process keeps counting from its own copy, so with several processes
// they overwrite each other's totals.
import type { Env } from 'dojo';

let visits = 0;

export default {
  async start(env: Env): Promise<void> {
    visits = Number((await env.kv.get('visits')) ?? 0);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/') {
      visits += 1;
      await env.kv.set('visits', visits);
      return Response.json({ visits });
    }
    if (request.method === 'GET' && pathname === '/visits') {
      return Response.json({ visits });
    }
    return new Response('Not found', { status: 404 });
  },
};
