// Known-wrong: a proper cache (expiry, one query per miss) whose copies live for a minute, far longer than the 5
// seconds the shop promised: an edit takes up to a minute to reach the other processes.
import type { Env } from 'dojo';

const FRESH_MS = 60_000; // a minute: the database is slow, so keep copies longer
type Cached = { cents: number | null; fetchedAt: number };

const cache = new Map<string, Cached>(); // item → its price (null: no such item), and when it was read
const inFlight = new Map<string, Promise<number | null>>(); // item → the query already under way for it

/** An item's price: from the cache while it is fresh, else from the database, one query at a time per item. */
function priceOf(env: Env, item: string): Promise<number | null> {
  const cached = cache.get(item);
  if (cached && Date.now() - cached.fetchedAt < FRESH_MS) return Promise.resolve(cached.cents);
  let pending = inFlight.get(item);
  if (!pending) {
    const askedAt = Date.now(); // the copy is as old as the question, not the answer
    pending = env.db
      .query('select cents from prices where item = $1', [item])
      .then(({ rows }) => {
        const cents = (rows[0]?.cents as number | undefined) ?? null;
        cache.set(item, { cents, fetchedAt: askedAt });
        return cents;
      })
      .finally(() => inFlight.delete(item));
    inFlight.set(item, pending); // requests that miss meanwhile wait for this query instead of sending their own
  }
  return pending;
}

export default {
  async start(env: Env): Promise<void> {
    // The table and the shop's first prices (the statements do nothing when they are already there).
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
      cache.delete(item); // this process sees its own edit at once; the others within FRESH_MS
      return Response.json({ item, cents });
    }

    const cents = await priceOf(env, item);
    if (cents === null) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
