// Logins, kept the way a WordPress on several servers keeps them: in Redis (phpredis' session handler,
// session.save_handler = redis), with an expiry, so every process knows every session and the store
// forgets one 24 minutes after its last request. The browser holds the id in the PHPSESSID cookie.
import type { Env } from 'dojo';

/** PHP's session.gc_maxlifetime: a session ends 24 minutes after its last request. */
export const MAX_LIFETIME_MS = 24 * 60 * 1000;

const keyOf = (id: string) => `PHPREDIS_SESSION:${id}`;

/** Starts a session for a user who just logged in; answers the session's id (the PHPSESSID cookie). */
export async function startSession(env: Env, user: string): Promise<string> {
  const id = crypto.randomUUID(); // unguessable: the id is all a visitor shows to be logged in
  await env.kv.set(keyOf(id), JSON.stringify({ user }), { PX: MAX_LIFETIME_MS });
  return id;
}

/** The user a session id belongs to, or null when there is no such session or it has expired. */
export async function sessionUser(env: Env, id: string): Promise<string | null> {
  const text = await env.kv.get(keyOf(id));
  if (text === null) return null;
  // Each request keeps the session alive for another 24 minutes.
  await env.kv.pexpire(keyOf(id), MAX_LIFETIME_MS);
  return (JSON.parse(text) as { user: string }).user;
}
