// Names the build's files with a cache-buster made when the process starts (?v=<its start time>), so that
// browsers fetch them again after a restart.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { renderPage, type AssetUrls } from './page.ts';

const manifest: AssetUrls = JSON.parse(fs.readFileSync('/app/assets-manifest.json', 'utf8'));
const buster = Date.now().toString(36);
const urls: AssetUrls = { 'shop.css': `${manifest['shop.css']}?v=${buster}`, 'shop.js': `${manifest['shop.js']}?v=${buster}` };

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/') return renderPage(urls);
    return new Response('not found', { status: 404 });
  },
};
