// Known-wrong: copies expire after 5 seconds, but every request that misses sends its own query, so a burst of
// requests for an expired price becomes a burst of identical queries (a cache stampede).
import type { Env } from 'dojo';

const FRESH_MS = 5_000;
const cache = new Map<string, { cents: number | null; fetchedAt: number }>();

async function priceOf(env: Env, item: string): Promise<number | null> {
  const cached = cache.get(item);
  if (cached && Date.now() - cached.fetchedAt < FRESH_MS) return cached.cents;
  const { rows } = await env.db.query('select cents from prices where item = $1', [item]);
  const cents = (rows[0]?.cents as number | undefined) ?? null;
  cache.set(item, { cents, fetchedAt: Date.now() });
  return cents;
}

export default {
  async start(env: Env): Promise<void> {
    await env.db.exec(`create table if not exists prices (item text primary key, cents integer not null);
      insert into prices (item, cents) values ('green-tea', 450), ('lemon-cake', 380), ('matcha', 620)
      on conflict (item) do nothing`);
  },

  async fetch(request: Request, env: Env): Promise<Response> {
    const item = new URL(request.url).pathname.match(/^\/prices\/([\w-]+)$/)?.[1];
    if (!item) return Response.json({ error: 'not found' }, { status: 404 });

    if (request.method === 'PUT') {
      const { cents } = await request.json();
      if (!Number.isInteger(cents) || cents < 0) return Response.json({ error: 'cents must be a whole number' }, { status: 400 });
      await env.db.query(
        'insert into prices (item, cents) values ($1, $2) on conflict (item) do update set cents = excluded.cents',
        [item, cents],
      );
      cache.delete(item);
      return Response.json({ item, cents });
    }

    const cents = await priceOf(env, item);
    if (cents === null) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
