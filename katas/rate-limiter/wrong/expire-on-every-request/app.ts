// Wrong: an atomic counter per API key, given 60 seconds to live on every request. A client that
// stops for a minute gets in again, but one that keeps retrying pushes the end of its minute back
// with each refused request, and is locked out for as long as it keeps trying.
import type { Env } from 'dojo';

const LIMIT = 5; // requests per API key per minute
const WINDOW_SECONDS = 60;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });

    const key = `rate:${apiKey}`;
    const count = await env.kv.incr(key);
    await env.kv.expire(key, WINDOW_SECONDS); // a minute from now
    if (count > LIMIT) {
      const wait = Math.max(1, await env.kv.ttl(key));
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[count % QUOTES.length] });
  },
};
