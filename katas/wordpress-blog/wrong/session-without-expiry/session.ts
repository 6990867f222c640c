// Logins in Redis, shared by every process: but with no expiry, so a session lasts for ever
// (and the store fills up with every session ever started).
import type { Env } from 'dojo';

const keyOf = (id: string) => `PHPREDIS_SESSION:${id}`;

export async function startSession(env: Env, user: string): Promise<string> {
  const id = crypto.randomUUID();
  await env.kv.set(keyOf(id), JSON.stringify({ user }));
  return id;
}

export async function sessionUser(env: Env, id: string): Promise<string | null> {
  const text = await env.kv.get(keyOf(id));
  return text === null ? null : (JSON.parse(text) as { user: string }).user;
}
