// Visit counter: every visit to the home page is counted, and anyone can ask for the total.
import type { Env } from 'dojo';

// How many visits the site has had so far.
let visits = 0;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);

    // GET / counts one more visit and answers with the new total.
    if (request.method === 'GET' && pathname === '/') {
      visits += 1;
      return Response.json({ visits });
    }

    // GET /visits reports the total without counting a visit (a dashboard polls it).
    if (request.method === 'GET' && pathname === '/visits') {
      return Response.json({ visits });
    }

    return new Response('Not found', { status: 404 });
  },
};
