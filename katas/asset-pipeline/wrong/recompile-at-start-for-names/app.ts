// The build step writes the files, but each process compiles them again at start-up to learn their names
// (as Django's old CachedStaticFilesStorage hashed files at run time), instead of reading the manifest.
import type { Env } from 'dojo';
import { DEFAULT_ACCENT } from './client.ts';
import { renderPage, type AssetUrls } from './page.ts';
import { compileAssets } from './pipeline.ts';

const urls: Record<string, string> = {};

export default {
  async start(env: Env): Promise<void> {
    const accent = (await env.kv.get('theme:accent')) ?? DEFAULT_ACCENT;
    for (const asset of compileAssets(accent)) urls[asset.name] = `/assets/${asset.file}`;
  },
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/') return renderPage(urls as unknown as AssetUrls);
    return new Response('not found', { status: 404 });
  },
};
