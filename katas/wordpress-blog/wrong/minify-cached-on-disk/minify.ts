// Minified assets made on demand, as W3 Total Cache's minify does it: the first request for the
// stylesheet (on each process) makes it and writes it to wp-content/cache/minify; later requests are
// served that file. Every process can answer, but each keeps what it made on its disk.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { contentHash, minifyCss, minifyJs, SCRIPTS, STYLES, type AssetUrls } from './theme.ts';

const MINIFY = '/app/wp-content/cache/minify';
const css = () => minifyCss(STYLES);
const js = () => minifyJs(SCRIPTS);

export async function assetUrls(env: Env): Promise<AssetUrls> {
  return { css: `/wp-content/cache/minify/${contentHash(css())}.css`, js: `/wp-content/cache/minify/${contentHash(js())}.js` };
}

export async function serveAsset(env: Env, path: string): Promise<Response | null> {
  const urls = await assetUrls(env);
  if (path !== urls.css && path !== urls.js) return null;
  const file = `/app${path}`;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(MINIFY, { recursive: true });
    fs.writeFileSync(file, path === urls.css ? css() : js());
  }
  const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
  return new Response(fs.readFileSync(file, 'utf8'), { headers: { 'content-type': type } });
}
