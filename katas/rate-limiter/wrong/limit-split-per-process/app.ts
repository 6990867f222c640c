// Wrong: a "fix" that keeps the counts in memory and divides the limit between the processes:
// with 3 processes, each allows 2 requests a minute. It assumes the balancer spreads a client's
// requests evenly, and that processes never restart: neither holds.
import type { Env } from 'dojo';

const LIMIT = 5;
const PROCESSES = 3; // how many we run in production
const PER_PROCESS = Math.ceil(LIMIT / PROCESSES);
const WINDOW_MS = 60_000;
const QUOTES = ['Stateless and share-nothing.', 'Any process may serve any request.', 'Kill any process at any time.'];

const windows = new Map<string, { count: number; startedAt: number }>();

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });
    const now = Date.now();
    let window = windows.get(apiKey);
    if (!window || now - window.startedAt >= WINDOW_MS) windows.set(apiKey, (window = { count: 0, startedAt: now }));
    window.count += 1;
    if (window.count > PER_PROCESS) {
      const wait = Math.ceil((window.startedAt + WINDOW_MS - now) / 1000);
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: QUOTES[window.count % QUOTES.length] });
  },
};
