// Minified assets, as W3 Total Cache's minify does it: the first page view concatenates and minifies
// the theme's stylesheets and scripts and writes them to wp-content/cache/minify, and the web server
// serves the files from there.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { contentHash, minifyCss, minifyJs, SCRIPTS, STYLES, type AssetUrls } from './theme.ts';

const MINIFY = '/app/wp-content/cache/minify';

/** The URLs of the page's stylesheet and script; makes the files on the first page view. */
export async function assetUrls(env: Env): Promise<AssetUrls> {
  const css = minifyCss(STYLES);
  const js = minifyJs(SCRIPTS);
  const cssFile = `${contentHash(css)}.css`;
  const jsFile = `${contentHash(js)}.js`;
  if (!fs.existsSync(`${MINIFY}/${cssFile}`)) {
    fs.mkdirSync(MINIFY, { recursive: true });
    fs.writeFileSync(`${MINIFY}/${cssFile}`, css);
    fs.writeFileSync(`${MINIFY}/${jsFile}`, js);
  }
  return { css: `/wp-content/cache/minify/${cssFile}`, js: `/wp-content/cache/minify/${jsFile}` };
}

/** Serves GET /wp-content/cache/minify/<file>, or null when there is no such file. */
export async function serveAsset(env: Env, path: string): Promise<Response | null> {
  const file = `/app${path}`;
  if (!path.startsWith('/wp-content/cache/minify/') || !fs.existsSync(file)) return null;
  const type = file.endsWith('.css') ? 'text/css' : 'text/javascript';
  return new Response(fs.readFileSync(file, 'utf8'), { headers: { 'content-type': type } });
}
