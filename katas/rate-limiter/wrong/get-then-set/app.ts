// Wrong: the count is in the store, with a time-to-live, but it is read, increased in the
// process and written back: requests that arrive together all read the same count, and all get in.
import type { Env } from 'dojo';

const LIMIT = 5; // requests per API key per minute
const WINDOW_SECONDS = 60;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });

    const key = `rate:${apiKey}`;
    const current = Number((await env.kv.get(key)) ?? 0);
    const count = current + 1;
    const ttl = await env.kv.ttl(key);
    await env.kv.set(key, count, { EX: ttl > 0 ? ttl : WINDOW_SECONDS });
    if (count > LIMIT) {
      const wait = Math.max(1, await env.kv.ttl(key));
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[count % QUOTES.length] });
  },
};
