// A quotes API with a rate limit: each API key gets 5 requests a minute. The count of each key's
// current minute lives in the key-value store, shared by every process: the store creates it with
// a 60-second time-to-live and adds one atomically, so no process keeps a count of its own.
import type { Env } from 'dojo';

const LIMIT = 5; // requests per API key per minute
const WINDOW_SECONDS = 60;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });

    const key = `rate:${apiKey}`;
    // Starts a minute (a counter at 0 that the store deletes after 60 s) unless one is running.
    // Created with its expiry in one step: no process can leave a counter behind that never expires.
    await env.kv.set(key, 0, { NX: true, EX: WINDOW_SECONDS });
    const count = await env.kv.incr(key); // atomic: concurrent requests each get a number of their own
    if (count > LIMIT) {
      const wait = Math.max(1, await env.kv.ttl(key));
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[count % QUOTES.length] });
  },
};
