// Reads the build's manifest, and serves the compiled files itself, from the release's disk.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { renderPage, type AssetUrls } from './page.ts';

const urls: AssetUrls = JSON.parse(fs.readFileSync('/app/assets-manifest.json', 'utf8'));

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/') return renderPage(urls);
    const file = `/app/compiled/${path.slice('/assets/'.length)}`;
    if (path.startsWith('/assets/') && !file.includes('..') && fs.existsSync(file)) {
      const type = file.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
      return new Response(fs.readFileSync(file, 'utf8'), { headers: { 'content-type': type, 'cache-control': 'public, max-age=31536000, immutable' } });
    }
    return new Response('not found', { status: 404 });
  },
};
