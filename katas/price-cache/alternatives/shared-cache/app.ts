// Alternative: one copy of each price in the key-value store, shared by every process, that the store deletes
// 5 seconds after it was read from the database; a PUT deletes it at once. A process that misses sends one
// query however many of its requests missed together.
import type { Env } from 'dojo';

const FRESH_SECONDS = 5;
const NONE = 'none'; // cached answer for an item the database does not have
const inFlight = new Map<string, Promise<number | null>>();

async function priceOf(env: Env, item: string): Promise<number | null> {
  const cached = await env.kv.get(`price:${item}`);
  if (cached !== null) return cached === NONE ? null : Number(cached);
  let pending = inFlight.get(item);
  if (!pending) {
    pending = (async () => {
      const { rows } = await env.db.query('select cents from prices where item = $1', [item]);
      const cents = (rows[0]?.cents as number | undefined) ?? null;
      await env.kv.set(`price:${item}`, cents ?? NONE, { EX: FRESH_SECONDS });
      return cents;
    })().finally(() => inFlight.delete(item));
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
      await env.kv.del(`price:${item}`); // the next read, on any process, asks the database
      return Response.json({ item, cents });
    }

    const cents = await priceOf(env, item);
    if (cents === null) return Response.json({ error: `no price for ${item}` }, { status: 404 });
    return Response.json({ item, cents });
  },
};
