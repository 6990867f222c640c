// Compiles the assets when the process starts, keeps them in memory and serves them from its own route.
import type { Env } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { renderPage, type AssetUrls } from './page.ts';
import { compileAssets } from './pipeline.ts';

let urls = {} as AssetUrls;
const files = new Map<string, string>();

export default {
  async start(env: Env): Promise<void> {
    const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
    for (const asset of compileAssets(accent)) {
      files.set(`/assets/${asset.file}`, asset.body);
      (urls as unknown as Record<string, string>)[asset.name] = `/assets/${asset.file}`;
    }
  },
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/') return renderPage(urls);
    const body = files.get(path);
    if (body === undefined) return new Response('not found', { status: 404 });
    const type = path.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    return new Response(body, { headers: { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' } });
  },
};
