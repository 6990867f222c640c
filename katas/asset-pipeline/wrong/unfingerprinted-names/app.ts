// The tea shop's web process. The build step compiled the stylesheet and the script; this process only reads
// the manifest of their fingerprinted URLs and names them in the page. It never compiles or serves a file.
import type { Env } from 'dojo';
import fs from 'node:fs';
import { renderPage, type AssetUrls } from './page.ts';

/** Written by build.ts, the same on every process of a release. */
const urls: AssetUrls = JSON.parse(fs.readFileSync('/app/assets-manifest.json', 'utf8'));

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === '/') return renderPage(urls);
    return new Response('not found', { status: 404 });
  },
};
