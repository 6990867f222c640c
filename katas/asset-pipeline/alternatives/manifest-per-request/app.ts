// The tea shop's web process: it reads the build's manifest on each page view (a small file, read every time,
// never written), and names the fingerprinted files the build step made. It never compiles or serves a file.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { renderPage, type AssetUrls } from './page.ts';

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path !== '/') return new Response('not found', { status: 404 });
    const urls: AssetUrls = JSON.parse(fs.readFileSync('/app/assets-manifest.json', 'utf8'));
    return renderPage(urls);
  },
};
