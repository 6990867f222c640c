// Wrong: an atomic counter per API key and per calendar minute (the minute is part of the key),
// so the limit is right, but nothing ever deletes a counter: every key that ever called, every
// minute it called in, stays in the store for ever.
import type { Env } from 'dojo';

const LIMIT = 5; // requests per API key per minute
const WINDOW_SECONDS = 60;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });

    const key = `rate:${apiKey}:${Math.floor(Date.now() / 60_000)}`; // a new counter each minute
    const count = await env.kv.incr(key);
    if (count > LIMIT) {
      const wait = Math.max(1, await env.kv.ttl(key));
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[count % QUOTES.length] });
  },
};
