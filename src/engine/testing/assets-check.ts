// Static assets end to end, on whatever host runs it: the unit tests run it in Node, /engine-check/ (and the browser
// tests) in this browser, and the two must observe the same thing (the trace included).
import type { ProcessHost } from '../process/protocol.ts';
import { replayable } from '../core/trace.ts';
import { runTests } from './runner.ts';
import { test } from './index.ts';
import type { TracedResponse } from './types.ts';

/**
 * An app written the way a learner would: the build step bundles the script once per release, names it after a
 * hash of its content and writes a manifest the app reads to render `<script src>`. It also writes an
 * un-fingerprinted copy (`/app.js`) to show what a deploy does to it. The store's `version` key stands for the
 * bundle's source, so a test can change the code between deploys.
 */
export const ASSETS_APP: Record<string, string> = {
  'build.ts': `
export async function build({ fs, env }: any) {
  const version = (await env.kv.get('version')) ?? 'v1';
  const js = "console.log('app " + version + "');";
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(js)));
  const hash = [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
  fs.mkdirSync('/app/public/assets', { recursive: true });
  fs.writeFileSync('/app/public/assets/app.' + hash + '.js', js);
  fs.writeFileSync('/app/public/app.js', js);
  fs.writeFileSync('/app/public/robots.txt', 'User-agent: *\\n');
  fs.writeFileSync('/app/public/hello world.txt', 'hi');
  fs.writeFileSync('/app/manifest.json', JSON.stringify({ 'app.js': '/assets/app.' + hash + '.js', version }));
}`,
  'app.ts': `
import fs from 'node:fs';
const manifest = JSON.parse(fs.readFileSync('/app/manifest.json', 'utf8'));
export default {
  fetch(request: Request) {
    const path = new URL(request.url).pathname;
    if (path === '/') {
      const html = '<p>' + manifest.version + '</p><script src="' + manifest['app.js'] + '"></script><script src="/app.js"></script>';
      return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
    }
    return new Response('the app has no ' + path, { status: 404 });
  },
};`,
};

/** The fingerprinted script a page of ASSETS_APP names, and the version it shows. */
export const scriptOf = (page: TracedResponse): string => /<script src="(\/assets\/[^"]+)"/.exec(page.text())?.[1] ?? '(no script)';
export const versionOf = (page: TracedResponse): string => /<p>(v\d+)<\/p>/.exec(page.text())?.[1] ?? '(no version)';

export interface AssetsCheck {
  /** the test's verdict, and its message when it did not pass */
  status: string;
  message: string;
  /** what the client saw, step by step */
  observed: unknown[];
  /** the trace without timings */
  trace: unknown[];
}

/** One run of ASSETS_APP through every case: cache headers, 304, HEAD, a deploy, a refused path, no process up. */
export async function runAssetsCheck(host: ProcessHost): Promise<AssetsCheck> {
  const observed: unknown[] = [];
  const see = (what: string, res: TracedResponse) => observed.push([what, res.status, res.servedBy, res.generation, res.headers.get('cache-control'), res.text()]);
  const report = await runTests({
    host,
    files: ASSETS_APP,
    processes: { web: 'app.ts' },
    build: 'build.ts',
    seed: 1,
    tests: [test('public files are the platform\'s', async ({ cluster, client, services }) => {
      await cluster.start({ web: 2 });
      const browser = client();
      const page = await browser.get('/');
      see('page', page);
      see('script', await browser.get(scriptOf(page)));
      const robots = await browser.get('/robots.txt');
      see('robots', robots);
      see('robots again', await browser.get('/robots.txt', { headers: { 'if-none-match': robots.headers.get('etag') ?? '' } }));
      see('head', await browser.request('HEAD', '/robots.txt'));
      await services.kv.set('version', 'v2');
      await cluster.deploy();
      see('old script after the deploy', await browser.get(scriptOf(page)));
      see('app.js after the deploy', await browser.get('/app.js'));
      see('climbing out', await browser.get('/%2e%2e%2fmanifest.json'));
      await cluster.scale({ web: 0 });
      see('script with no process', await browser.get(scriptOf(page)));
      see('page with no process', await browser.get('/'));
    })],
  });
  const result = report.results[0]!;
  return { status: result.status, message: result.message, observed, trace: replayable(result.events) };
}
