// Minified assets, made the way a Bedrock site with a Sage theme makes them: in the build step
// (build.ts), once per release, into the theme's dist folder. The build leaves a manifest that says
// which file is the stylesheet and which the script; processes only read what the build wrote.
import type { Env } from 'dojo';
import fs from 'node:fs';
import type { AssetUrls } from './theme.ts';

/** Where the build step writes the assets, and the URL they are served at. */
export const DIST = '/app/wp-content/themes/dojo/dist';
export const MANIFEST = `${DIST}/manifest.json`;

/** The URLs of the page's stylesheet and script, as the build step wrote them down. */
export async function assetUrls(env: Env): Promise<AssetUrls> {
  return JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as AssetUrls;
}

/** Serves GET /wp-content/themes/dojo/dist/<file>, or null when the build made no such file. */
export async function serveAsset(env: Env, path: string): Promise<Response | null> {
  const file = `/app${path}`;
  if (!file.startsWith(`${DIST}/`) || file.includes('..') || file === MANIFEST || !fs.existsSync(file)) return null;
  const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
  // The name changes whenever the content does, so browsers and CDNs may keep it for a year.
  return new Response(fs.readFileSync(file, 'utf8'), { headers: { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' } });
}
