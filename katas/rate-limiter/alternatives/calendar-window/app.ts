// A quotes API with a rate limit of 5 requests per API key per calendar minute: the counter's key
// names the minute (rate:<key>:<minute number>), so a new minute is a new counter. The store creates
// each counter with its expiry at the end of its minute, and adds one atomically.
import type { Env } from 'dojo';

const LIMIT = 5;
const WINDOW_MS = 60_000;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });

    const minute = Math.floor(Date.now() / WINDOW_MS);
    const key = `rate:${apiKey}:${minute}`;
    // The counter is created with its expiry (the end of this minute) in one step: a process killed between this
    // and the incr leaves a counter at 0 that still goes away; an incr that came first would leave one for ever.
    await env.kv.set(key, 0, { NX: true, PX: (minute + 1) * WINDOW_MS - Date.now() });
    const count = await env.kv.incr(key);
    if (count > LIMIT) {
      const wait = Math.ceil(((minute + 1) * WINDOW_MS - Date.now()) / 1000);
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[count % QUOTES.length] });
  },
};
