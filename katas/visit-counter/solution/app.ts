// Visit counter: every visit to the home page is counted, and anyone can ask for the total.
import type { Env } from 'dojo';

// The count lives in the key-value store, which every process shares and which outlives
// them all. No process keeps a copy of its own: a copy would go stale the moment another
// process counts a visit, and would be lost on the next restart.
const KEY = 'visits';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    if (request.method === 'GET' && pathname === '/') {
      // incr reads, adds one and writes back in a single step inside the store, so two
      // processes counting at the same moment can't both write the same number.
      const visits = await env.kv.incr(KEY);
      return Response.json({ visits });
    }

    if (request.method === 'GET' && pathname === '/visits') {
      // A missing key means nobody has visited yet.
      const visits = Number((await env.kv.get(KEY)) ?? 0);
      return Response.json({ visits });
    }

    return new Response('Not found', { status: 404 });
  },
};
