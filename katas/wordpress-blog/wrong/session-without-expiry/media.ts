// The media library, offloaded as WP Offload Media or S3 Uploads do it: an upload goes to the object
// store under the key WordPress would have used on disk, and every process serves it from there.
import type { Env } from 'dojo';

/** Saves an uploaded file; answers the URL it is served at. */
export async function saveUpload(env: Env, name: string, type: string, bytes: Uint8Array): Promise<string> {
  const month = new Date(Date.now()).toISOString().slice(0, 7).replace('-', '/'); // "2026/01"
  const key = `wp-content/uploads/${month}/${name}`;
  await env.objects.put(key, bytes, { contentType: type });
  return `/${key}`;
}

/** Serves GET /wp-content/uploads/<year>/<month>/<file>, or null when there is no such file. */
export async function serveUpload(env: Env, path: string): Promise<Response | null> {
  const stored = await env.objects.get(path.slice(1));
  if (!stored) return null;
  return new Response(await stored.arrayBuffer(), { headers: { 'content-type': stored.contentType } });
}
