// Known-wrong: each process caches prices with no expiry and drops a copy when a message on the "prices" channel
// says it changed. Edits made through the app reach everyone; the buyers' tool writes straight into the database,
// sends no message, and its changes are never seen.
import type { Env } from 'dojo';

const cache = new Map<string, number | null>();
const inFlight = new Map<string, Promise<number | null>>();

function priceOf(env: Env, item: string): Promise<number | null> {
  if (cache.has(item)) return Promise.resolve(cache.get(item)!);
  let pending = inFlight.get(item);
  if (!pending) {
    pending = env.db
      .query('select cents from prices where item = $1', [item])
      .then(({ rows }) => {
        const cents = (rows[0]?.cents as number | undefined) ?? null;
        cache.set(item, cents);
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
    await env.kv.subscribe('prices', (item) => void cache.delete(item));
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
      await env.kv.publish('prices', item); // every process drops its copy
      return Response.json({ item, cents });
    }

    const cents = await priceOf(env, item);
    if (cents === null) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
