// The media library: uploads go where WordPress puts them, wp-content/uploads/<year>/<month>/<file>,
// and the web server serves them from there.
import type { Env } from 'dojo';
import fs from 'node:fs';

const UPLOADS = '/app/wp-content/uploads';

/** Saves an uploaded file; answers the URL it is served at. */
export async function saveUpload(env: Env, name: string, type: string, bytes: Uint8Array): Promise<string> {
  const month = new Date(Date.now()).toISOString().slice(0, 7).replace('-', '/'); // "2026/01"
  fs.mkdirSync(`${UPLOADS}/${month}`, { recursive: true });
  fs.writeFileSync(`${UPLOADS}/${month}/${name}`, bytes);
  fs.writeFileSync(`${UPLOADS}/${month}/${name}.type`, type); // what the web server's mime.types would say
  return `/wp-content/uploads/${month}/${name}`;
}

/** Serves GET /wp-content/uploads/<year>/<month>/<file>, or null when there is no such file. */
export async function serveUpload(env: Env, path: string): Promise<Response | null> {
  const file = `/app${path}`;
  if (!fs.existsSync(file)) return null;
  return new Response(fs.readFileSync(file), { headers: { 'content-type': fs.readFileSync(`${file}.type`, 'utf8') } });
}
