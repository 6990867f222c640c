// Alternative: each process keeps its own copies for at most 5 seconds, and also drops them all as soon as the
// price list's version in the key-value store changes: a PUT bumps it, so edits made through the app are seen
// at once everywhere, and changes made straight in the database within 5 seconds.
import type { Env } from 'dojo';

const FRESH_MS = 5_000;
let cache = new Map<string, { cents: number | null; fetchedAt: number }>();
let cachedVersion: string | null = null; // the version the copies belong to
const inFlight = new Map<string, Promise<number | null>>();

async function priceOf(env: Env, item: string): Promise<number | null> {
  const version = (await env.kv.get('prices:version')) ?? '0';
  if (version !== cachedVersion) {
    cache = new Map();
    cachedVersion = version;
  }
  const cached = cache.get(item);
  if (cached && Date.now() - cached.fetchedAt < FRESH_MS) return cached.cents;
  let pending = inFlight.get(item);
  if (!pending) {
    const askedAt = Date.now();
    pending = env.db
      .query('select cents from prices where item = $1', [item])
      .then(({ rows }) => {
        const cents = (rows[0]?.cents as number | undefined) ?? null;
        if (cachedVersion === version) cache.set(item, { cents, fetchedAt: askedAt });
        return cents;
      })
      .finally(() => inFlight.delete(item));
    inFlight.set(item, pending);
  }
  return pending;
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
      await env.kv.incr('prices:version'); // every process drops its copies on its next read
      return Response.json({ item, cents });
    }

    const cents = await priceOf(env, item);
    if (cents === null) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
