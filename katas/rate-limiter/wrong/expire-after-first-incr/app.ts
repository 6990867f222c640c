// Wrong: the counter is created by INCR and given its expiry by a second call when it is new. A process killed
// between the two (a deploy, a crash, the platform moving it) leaves a counter that never expires: that API key is
// limited for ever once it reaches 5. The pattern is in many tutorials; SET NX EX (or a Lua script) does both at once.
import type { Env } from 'dojo';

const LIMIT = 5;
const WINDOW_SECONDS = 60;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const apiKey = request.headers.get('x-api-key');
    if (!apiKey) return Response.json({ error: 'send your API key in the x-api-key header' }, { status: 401 });
    const key = `rate:${apiKey}`;
    const count = await env.kv.incr(key);
    if (count === 1) await env.kv.expire(key, WINDOW_SECONDS);
    if (count > LIMIT) {
      const wait = Math.max(1, await env.kv.ttl(key));
      return Response.json({ error: `too many requests: try again in ${wait} s` }, { status: 429, headers: { 'retry-after': String(wait) } });
    }
    return Response.json({ quote: 'Stateless and share-nothing.' });
  },
};
