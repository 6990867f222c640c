// The media library, offloaded to the object store: but, as WP Offload Media does unless "Remove
// local media" is ticked, a copy stays in wp-content/uploads too, and is served from there first.
import type { Env } from 'dojo';
import fs from 'node:fs';

export async function saveUpload(env: Env, name: string, type: string, bytes: Uint8Array): Promise<string> {
  const month = new Date(Date.now()).toISOString().slice(0, 7).replace('-', '/');
  const key = `wp-content/uploads/${month}/${name}`;
  await env.objects.put(key, bytes, { contentType: type });
  fs.mkdirSync(`/app/wp-content/uploads/${month}`, { recursive: true });
  fs.writeFileSync(`/app/${key}`, bytes);
  return `/${key}`;
}

export async function serveUpload(env: Env, path: string): Promise<Response | null> {
  const stored = await env.objects.get(path.slice(1));
  if (!stored) return null;
  return new Response(await stored.arrayBuffer(), { headers: { 'content-type': stored.contentType } });
}
