// Wrong: the count travels in the visitor's own cookie, so no process keeps anything and one
// browser sees 1, 2, 3… whichever process answers. But that counts one visitor's visits, not the
// site's: two visitors both see 1, and GET /visits, from anyone else, says 0.
import type { Env } from 'dojo';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const seen = Number(request.headers.get('cookie')?.match(/(?:^|;\s*)visits=(\d+)/)?.[1] ?? 0);
    if (request.method === 'GET' && pathname === '/') {
      return Response.json({ visits: seen + 1 }, { headers: { 'set-cookie': `visits=${seen + 1}; Path=/` } });
    }
    if (request.method === 'GET' && pathname === '/visits') return Response.json({ visits: seen });
    return new Response('Not found', { status: 404 });
  },
};
