// Minified assets made in memory: each process concatenates and minifies the theme's files from its
// own code (the same text on every process, so the same name), and serves them without touching the
// disk. Nothing to lose on a restart: the next request makes them again.
import type { Env } from 'dojo';
import { contentHash, minifyCss, minifyJs, SCRIPTS, STYLES, type AssetUrls } from './theme.ts';

let made: { css: string; js: string; urls: AssetUrls } | null = null; // a cache of what the code says, never of a request

function assets() {
  if (made) return made;
  const css = minifyCss(STYLES);
  const js = minifyJs(SCRIPTS);
  made = { css, js, urls: { css: `/wp-content/assets/site.${contentHash(css)}.css`, js: `/wp-content/assets/site.${contentHash(js)}.js` } };
  return made;
}

export async function assetUrls(env: Env): Promise<AssetUrls> {
  return assets().urls;
}

export async function serveAsset(env: Env, path: string): Promise<Response | null> {
  const { css, js, urls } = assets();
  if (path === urls.css) return new Response(css, { headers: { 'content-type': 'text/css' } });
  if (path === urls.js) return new Response(js, { headers: { 'content-type': 'text/javascript' } });
  return null;
}
