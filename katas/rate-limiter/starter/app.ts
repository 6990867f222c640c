// A quotes API with a rate limit: each API key gets 5 requests a minute. The counts are kept in
// a Map in this process's memory.
import type { Env } from 'dojo';

const LIMIT = 5; // requests per API key per minute
const WINDOW_MS = 60_000;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

const windows = new Map<string, { count: number; startedAt: number }>(); // API key → its current minute

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });

    const now = Date.now();
    let window = windows.get(apiKey);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { count: 0, startedAt: now }; // a new minute starts with this request
      windows.set(apiKey, window);
    }
    window.count += 1;
    if (window.count > LIMIT) {
      const wait = Math.ceil((window.startedAt + WINDOW_MS - now) / 1000);
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[window.count % QUOTES.length] });
  },
};
