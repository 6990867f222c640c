// Logins, the way PHP keeps them by default: session.save_handler = files. Each session is a file
// sess_<id> in session.save_path, and the browser holds its id in the PHPSESSID cookie.
import type { Env } from 'dojo';
import fs from 'node:fs';

const SAVE_PATH = '/tmp'; // PHP's session.save_path
/** PHP's session.gc_maxlifetime: a session ends 24 minutes after its last request. */
export const MAX_LIFETIME_MS = 24 * 60 * 1000;

interface SessionData {
  user: string;
  lastSeen: number;
}

/** Starts a session for a user who just logged in; answers the session's id (the PHPSESSID cookie). */
export async function startSession(env: Env, user: string): Promise<string> {
  const id = crypto.randomUUID();
  fs.mkdirSync(SAVE_PATH, { recursive: true });
  fs.writeFileSync(`${SAVE_PATH}/sess_${id}`, JSON.stringify({ user, lastSeen: Date.now() } satisfies SessionData));
  return id;
}

/** The user a session id belongs to, or null when there is no such session or it has expired. */
export async function sessionUser(env: Env, id: string): Promise<string | null> {
  const file = `${SAVE_PATH}/sess_${id}`;
  if (!/^[\w-]+$/.test(id) || !fs.existsSync(file)) return null;
  const session = JSON.parse(fs.readFileSync(file, 'utf8')) as SessionData;
  if (Date.now() - session.lastSeen > MAX_LIFETIME_MS) {
    fs.unlinkSync(file); // PHP's session garbage collection
    return null;
  }
  // Each request keeps the session alive for another 24 minutes.
  fs.writeFileSync(file, JSON.stringify({ ...session, lastSeen: Date.now() }));
  return session.user;
}
