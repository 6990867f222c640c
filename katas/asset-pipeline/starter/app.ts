// The tea shop's web process. It compiles the shop's stylesheet and script the first time a page or a file is
// asked for, keeps the files on its disk and serves them itself, from /assets/.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { DEFAULT_ACCENT } from './client.ts';
import { renderPage, type AssetUrls } from './page.ts';
import { compileAssets } from './pipeline.ts';

const CACHE = '/app/tmp/assets';

let urls: AssetUrls | undefined;

/** Compiles the assets into the cache on first use, and says which URLs the page names. */
async function assetUrls(env: Env): Promise<AssetUrls> {
  if (!urls) {
    const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
    fs.mkdirSync(CACHE, { recursive: true });
    const compiled: Record<string, string> = {};
    for (const asset of compileAssets(accent)) {
      fs.writeFileSync(`${CACHE}/${asset.file}`, asset.body);
      compiled[asset.name] = `/assets/${asset.file}`;
    }
    urls = compiled as unknown as AssetUrls;
  }
  return urls;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/') return renderPage(await assetUrls(env));
    if (path.startsWith('/assets/')) {
      await assetUrls(env);
      const file = `${CACHE}/${path.slice('/assets/'.length)}`;
      if (!fs.existsSync(file)) return new Response('no such file', { status: 404 });
      const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
      return new Response(fs.readFileSync(file, 'utf8'), { headers: { 'content-type': type } });
    }
    return new Response('not found', { status: 404 });
  },
};
