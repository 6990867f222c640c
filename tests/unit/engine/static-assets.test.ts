// Static assets from the release: the build step's public/ files are served by the platform (a CDN in front of the
// app), never by a process, fingerprinted names are cached for good, and old releases' files outlive a deploy.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { replayable } from '../../../src/engine/core/trace.ts';
import { story } from '../../../src/engine/core/story.ts';
import { buildTimeline } from '../../../src/engine/core/story/timeline-model.ts';
import { ReleaseAssets, contentTypeOf, isFingerprinted } from '../../../src/engine/core/cluster/static-assets.ts';
import { ASSETS_APP as RIGHT, runAssetsCheck, scriptOf, versionOf } from '../../../src/engine/testing/assets-check.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

describe('names and types', () => {
  it('a name with a hex content hash before its extension is fingerprinted; others are not', () => {
    expect(['app.3f9a2c1b.js', 'assets/app-3f9a2c1b.css', 'app.3f9a2c1b.js.map', `x.${'a'.repeat(64)}.png`].map(isFingerprinted)).toEqual([true, true, true, true]);
    expect(['app.js', 'app-settings.js', 'app.3f9a2c.js', 'logo.png', 'app.3F9A2C1Z.js'].map(isFingerprinted)).toEqual([false, false, false, false, false]);
  });

  it('content types follow the extension, and an unknown one is plain bytes', () => {
    expect(['a.js', 'a.css', 'a.html', 'a.svg', 'a.woff2', 'a.map', 'README', 'a.bin'].map(contentTypeOf)).toEqual([
      'text/javascript; charset=utf-8', 'text/css; charset=utf-8', 'text/html; charset=utf-8', 'image/svg+xml', 'font/woff2',
      'application/json; charset=utf-8', 'application/octet-stream', 'application/octet-stream',
    ]);
  });
});

describe('which releases are kept', () => {
  const files = (text: string) => ({ '/app/public/app.js': new TextEncoder().encode(text), '/app/server.ts': new Uint8Array(1) });
  const get = (assets: ReleaseAssets, path: string) => {
    const answer = assets.serve({ method: 'GET', url: `http://app.local${path}`, headers: [], body: null });
    return answer && [answer.release, new TextDecoder().decode(answer.response.body)];
  };

  it('the newest kept release answers; a release stays while a process runs it, and the one before the current always', () => {
    const assets = new ReleaseAssets();
    assets.add(1, files('one'));
    assets.add(2, files('two'));
    assets.add(3, files('three'));
    assets.prune(3, [1]); // a process of release 1 still runs (a deploy that stopped halfway)
    expect(assets.kept()).toEqual([3, 2, 1]);
    expect(get(assets, '/app.js')).toEqual([3, 'three']);
    assets.prune(3, [3]);
    expect(assets.kept()).toEqual([3, 2]);
    // only public/ is served: the app's own files are not reachable by any path
    expect(get(assets, '/server.ts')).toBeUndefined();
    expect(get(assets, '/../server.ts')).toBeUndefined();
  });
});

describe('static assets from the release', () => {
  it('a fingerprinted file the build step wrote is served by the platform for a year, and no process sees the request', async () => {
    const seen: Record<string, unknown> = {};
    const { result, events } = await runApp(host, RIGHT, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      const browser = client();
      const page = await browser.get('/');
      const script = await browser.get(scriptOf(page));
      seen.page = page.servedBy;
      seen.script = [script.status, script.servedBy, script.generation, script.text()];
      seen.headers = [script.headers.get('content-type'), script.headers.get('cache-control'), script.headers.get('content-length')];
      seen.path = scriptOf(page);
    }, { build: 'build.ts' });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen.page).toMatch(/^web\.\d$/);
    expect(seen.script).toEqual([200, 'assets', 1, "console.log('app v1');"]);
    expect(seen.headers).toEqual(['text/javascript; charset=utf-8', 'public, max-age=31536000, immutable', '22']);
    expect(eventsOf(events, 'asset')).toMatchObject([{ method: 'GET', path: seen.path, action: 'serve', status: 200, release: 1, cache: 'immutable' }]);
    expect(eventsOf(events, 'request').map((event) => event.path)).toEqual(['/']);
    expect(story(events)).toContain(`The platform served GET ${seen.path as string} from release 1's public files (its name is fingerprinted, so browsers may keep it for a year); no process saw it.`);
    const step = buildTimeline(events).steps.find((s) => s.kind === 'asset')!;
    expect([step.lane, step.title]).toEqual(['balancer', `GET ${seen.path as string} → 200 (release 1's public files)`]);
  });

  it('a file without a fingerprint is revalidated: no-cache with an ETag, 304 when the browser has it, HEAD without a body', async () => {
    const seen: unknown[] = [];
    const { result, events } = await runApp(host, RIGHT, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      const first = await browser.get('/robots.txt');
      const etag = first.headers.get('etag')!;
      seen.push([first.status, first.headers.get('cache-control'), first.headers.get('content-type'), first.text(), /^"[0-9a-f]{16}"$/.test(etag)]);
      const again = await browser.get('/robots.txt', { headers: { 'If-None-Match': `"nope", W/${etag}` } });
      seen.push([again.status, again.text(), again.headers.get('etag') === etag]);
      const changed = await browser.get('/robots.txt', { headers: { 'if-none-match': '"something-else"' } });
      seen.push(changed.status);
      const head = await browser.request('HEAD', '/robots.txt');
      seen.push([head.status, head.servedBy, head.text(), head.headers.get('content-length')]);
      const spaced = await browser.get('/hello%20world.txt');
      seen.push([spaced.status, spaced.text()]);
      // what is not a public file, or not a GET or HEAD, is the app's, as before
      const missing = await browser.get('/assets/app.00000000.js');
      const posted = await browser.post('/robots.txt', { body: 'x' });
      seen.push([missing.status, missing.servedBy], [posted.status, posted.servedBy]);
    }, { build: 'build.ts' });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([
      [200, 'no-cache', 'text/plain; charset=utf-8', 'User-agent: *\n', true],
      [304, '', true],
      200,
      [200, 'assets', '', '14'],
      [200, 'hi'],
      [404, 'web.1'], [404, 'web.1'],
    ]);
    expect(eventsOf(events, 'asset').map((event) => [event.method, event.action, event.status, event.cache])).toEqual([
      ['GET', 'serve', 200, 'revalidate'], ['GET', 'not-modified', 304, 'revalidate'], ['GET', 'serve', 200, 'revalidate'],
      ['HEAD', 'serve', 200, 'revalidate'], ['GET', 'serve', 200, 'revalidate'],
    ]);
    expect(story(events)).toContain("The platform answered GET /robots.txt with 304 from release 1's public files: the browser's copy (same ETag) is still current; no process saw it.");
  });

  it('public files are answered with no process running at all, and a path that climbs out of public/ is refused', async () => {
    const seen: unknown[] = [];
    const { result, events } = await runApp(host, RIGHT, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      const script = scriptOf(await browser.get('/'));
      await cluster.scale({ web: 0 });
      const asset = await browser.get(script);
      const page = await browser.get('/');
      seen.push([asset.status, asset.servedBy], [page.status, page.servedBy]);
      for (const path of ['/%2e%2e%2fmanifest.json', '/assets/..%2f..%2fapp.ts', '/..%5capp.ts', '/a%00.js']) {
        const refused = await browser.get(path);
        seen.push([path, refused.status, refused.servedBy, refused.text()]);
      }
      // the URL itself resolves a plain /../ (as a browser does): what is left names no public file, and the source never leaks
      await cluster.scale({ web: 1 });
      const plain = await browser.get('/../app.ts');
      seen.push([plain.status, plain.servedBy, plain.text()]);
    }, { build: 'build.ts' });
    expect(result.status, dump(result)).toBe('pass');
    const refusal = 'the path tries to leave the public folder';
    expect(seen).toEqual([
      [200, 'assets'], [503, 'balancer'],
      ['/%2e%2e%2fmanifest.json', 400, 'assets', refusal],
      ['/assets/..%2f..%2fapp.ts', 400, 'assets', refusal],
      ['/..%5capp.ts', 400, 'assets', refusal],
      ['/a%00.js', 400, 'assets', refusal],
      [404, 'web.1', 'the app has no /app.ts'],
    ]);
    expect(eventsOf(events, 'asset').filter((event) => event.action === 'refused')).toHaveLength(4);
    expect(story(events)).toContain(`The platform refused GET /%2e%2e%2fmanifest.json with 400: ${refusal}; no process saw it.`);
  });

  it("a page rendered before a deploy still loads its own script after it; an un-fingerprinted app.js changes under it", async () => {
    const seen: Record<string, unknown> = {};
    const { result } = await runApp(host, RIGHT, async ({ cluster, client, services }) => {
      await cluster.start({ web: 2 });
      const browser = client();
      const oldPage = await browser.get('/');
      await services.kv.set('version', 'v2'); // the code changes
      await cluster.deploy();
      const oldScript = await browser.get(scriptOf(oldPage));
      const plain = await browser.get('/app.js'); // what the old page's <script src="/app.js"> gets now
      const newPage = await browser.get('/');
      const newScript = await browser.get(scriptOf(newPage));
      seen.afterOne = {
        old: [versionOf(oldPage), oldScript.status, oldScript.generation, oldScript.text()],
        plain: [plain.status, plain.generation, plain.text()],
        new: [versionOf(newPage), newScript.status, newScript.generation, newScript.text()],
      };
      // a second deploy: release 1 has no process and is not the one before the current release any more
      await services.kv.set('version', 'v3');
      await cluster.deploy();
      const gone = await browser.get(scriptOf(oldPage));
      const kept = await browser.get(scriptOf(newPage));
      seen.afterTwo = [[gone.status, gone.servedBy.startsWith('web.')], [kept.status, kept.generation]];
    }, { build: 'build.ts' });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen.afterOne).toEqual({
      old: ['v1', 200, 1, "console.log('app v1');"],
      plain: [200, 2, "console.log('app v2');"], // old HTML, new JS: the mismatch fingerprints prevent
      new: ['v2', 200, 2, "console.log('app v2');"],
    });
    expect(seen.afterTwo).toEqual([[404, true], [200, 2]]);
  });

  it('every page served while a rolling deploy is under way loads the script of its own release', async () => {
    const pairs: [string, number, string][] = [];
    const { result } = await runApp(host, RIGHT, async ({ cluster, client, services, trace }) => {
      await cluster.start({ web: 3 });
      cluster.balance('round-robin');
      const browser = client();
      await services.kv.set('version', 'v2');
      let done = false;
      const deploying = cluster.deploy().then(() => void (done = true));
      const released = () => trace.events.some((event) => event.kind === 'release' && event.release === 2);
      // How far the deploy got when each page is asked for depends on the machine: the verdict does not.
      while (!released() && !done) await browser.get('/');
      while (!done) {
        const page = await browser.get('/');
        if (page.status !== 200) continue;
        const script = await browser.get(scriptOf(page));
        pairs.push([versionOf(page), script.status, script.text()]);
      }
      await deploying;
      const page = await browser.get('/');
      const script = await browser.get(scriptOf(page));
      pairs.push([versionOf(page), script.status, script.text()]);
    }, { build: 'build.ts' });
    expect(result.status, dump(result)).toBe('pass');
    expect(pairs.at(-1)![0]).toBe('v2');
    for (const [version, status, text] of pairs) expect([status, text]).toEqual([200, `console.log('app ${version}');`]);
  });

  it('asset requests draw nothing from the seed: the app requests around them go where they would have gone, and runs replay', async () => {
    const run = (withAssets: boolean) => runApp(host, RIGHT, async ({ cluster, client }) => {
      await cluster.start({ web: 3 });
      const browser = client();
      for (let i = 0; i < 6; i++) {
        const page = await browser.get('/');
        if (withAssets) {
          await browser.get(scriptOf(page));
          await browser.get('/robots.txt');
        }
      }
    }, { build: 'build.ts', seed: 7 });
    const [plain, first, second] = [await run(false), await run(true), await run(true)];
    for (const { result } of [plain, first, second]) expect(result.status, dump(result)).toBe('pass');
    const servedBy = (events: typeof plain.events) => eventsOf(events, 'request').map((event) => event.process);
    expect(servedBy(first.events)).toEqual(servedBy(plain.events));
    expect(eventsOf(first.events, 'asset')).toHaveLength(12);
    expect(replayable(second.events)).toEqual(replayable(first.events));
  });

  it('a public file over the limit fails the release with a message that names it and the limit', async () => {
    const { result } = await runApp(host, {
      'app.ts': "export default { fetch: () => new Response('x') };",
      'build.ts': `
export function build({ fs }: any) {
  fs.mkdirSync('/app/public', { recursive: true });
  fs.writeFileSync('/app/public/intro.mp4', new Uint8Array(11 * 1024 * 1024));
}`,
    }, async ({ cluster }) => {
      await cluster.start({ web: 1 });
    }, { build: 'build.ts' });
    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'the build step left public/intro.mp4 of 11.0 MB; the most one public file may be is 10.0 MB (split it, or keep large media in the object store)',
    );
  });
});

describe('the host check', () => {
  it('the check /engine-check/ runs in a browser passes in Node, seeing the old script after a deploy and the new app.js', async () => {
    const check = await runAssetsCheck(host);
    expect(check.status, check.message).toBe('pass');
    const byStep = Object.fromEntries((check.observed as [string, number, string, number, string | null, string][]).map(([what, ...rest]) => [what, rest]));
    expect(byStep['old script after the deploy']).toEqual([200, 'assets', 1, 'public, max-age=31536000, immutable', "console.log('app v1');"]);
    expect(byStep['app.js after the deploy']).toEqual([200, 'assets', 2, 'no-cache', "console.log('app v2');"]);
    expect(byStep['robots again']!.slice(0, 2)).toEqual([304, 'assets']);
    expect(byStep['climbing out']!.slice(0, 2)).toEqual([400, 'assets']);
    expect(byStep['script with no process']!.slice(0, 2)).toEqual([200, 'assets']);
    expect(byStep['page with no process']!.slice(0, 2)).toEqual([503, 'balancer']);
  });
});

describe('assets an app makes and serves itself (the mistake)', () => {
  /**
   * Wrong, as learners write it: the app "builds" its bundle when each process starts and serves it from its own
   * route, naming it after a random number (a cache-buster). Each process does the work, and names it differently.
   */
  const AT_BOOT = `
let bundle = '';
let name = '';
export default {
  start() {
    console.log('compiling the bundle');
    bundle = "console.log('app');";
    name = '/assets/app.' + Math.random().toString(16).slice(2, 10).padEnd(8, '0') + '.js';
  },
  fetch(request: Request) {
    const path = new URL(request.url).pathname;
    if (path === '/') return new Response('<script src="' + name + '"></script>', { headers: { 'content-type': 'text/html' } });
    if (path === name) return new Response(bundle, { headers: { 'content-type': 'text/javascript' } });
    return new Response('the app has no ' + path, { status: 404 });
  },
};`;

  it('compiling at boot costs every process the work, and a name made per process breaks the page on the others and after a restart', async () => {
    const seen: unknown[] = [];
    const { result, events } = await runApp(host, AT_BOOT, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      cluster.balance('round-robin');
      const browser = client();
      const page = await browser.get('/'); // web.1
      const script = scriptOf(page);
      const elsewhere = await browser.get(script); // web.2 has another name
      const home = await browser.get(script); // web.1 knows it
      seen.push([page.servedBy, elsewhere.status, elsewhere.servedBy, home.status, home.servedBy]);
      await cluster.restart('web.1');
      await browser.get('/'); // web.2
      const afterRestart = await browser.get(script); // web.1, generation 2: a new name
      seen.push([afterRestart.status, afterRestart.servedBy, afterRestart.generation]);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([['web.1', 404, 'web.2', 200, 'web.1'], [404, 'web.1', 2]]);
    // the work ran once per process start (three), where a build step runs once per release
    expect(eventsOf(events, 'log').filter((event) => event.text === 'compiling the bundle')).toHaveLength(3);
    // and every script request took a process's time: none was the platform's
    expect(eventsOf(events, 'asset')).toEqual([]);
  });

  /**
   * Wrong too: the first page view compiles the bundle into the process's own disk, under a name from its content
   * (so every process would pick the same name), and the app serves it from there.
   */
  const AT_REQUEST = `
import fs from 'node:fs';
let name = '';
async function compile(): Promise<string> {
  console.log('compiling the bundle');
  const js = "console.log('app');";
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(js)));
  const file = '/assets/app.' + [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('') + '.js';
  fs.mkdirSync('/app/dist/assets', { recursive: true });
  fs.writeFileSync('/app/dist' + file, js);
  return file;
}
export default {
  async fetch(request: Request) {
    const path = new URL(request.url).pathname;
    if (path === '/') {
      if (!name) name = await compile();
      return new Response('<script src="' + name + '"></script>', { headers: { 'content-type': 'text/html' } });
    }
    if (fs.existsSync('/app/dist' + path)) return new Response(fs.readFileSync('/app/dist' + path), { headers: { 'content-type': 'text/javascript' } });
    return new Response('the app has no ' + path, { status: 404 });
  },
};`;

  it('compiling at the first page view into the local disk leaves the other processes, and a restarted one, without the file', async () => {
    const seen: unknown[] = [];
    const { result } = await runApp(host, AT_REQUEST, async ({ cluster, client }) => {
      await cluster.start({ web: 2 });
      cluster.balance('round-robin');
      const browser = client();
      const script = scriptOf(await browser.get('/')); // web.1 compiles
      const other = await browser.get(script); // web.2 never saw a page view
      const home = await browser.get(script); // web.1 has it on its disk
      seen.push([other.status, other.servedBy], [home.status, home.servedBy]);
      seen.push([(await cluster.disk('web.1')).has(`/app/dist${script}`), (await cluster.disk('web.2')).has(`/app/dist${script}`)]);
      await cluster.restart('web.1');
      await browser.get('/robots.txt'); // web.2
      const afterRestart = await browser.get(script); // web.1, generation 2: an empty disk
      seen.push([afterRestart.status, afterRestart.servedBy, afterRestart.generation]);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([[404, 'web.2'], [200, 'web.1'], [true, false], [404, 'web.1', 2]]);
  });

  it('with no process running, an asset the app serves itself is gone too', async () => {
    const seen: unknown[] = [];
    const { result } = await runApp(host, AT_BOOT, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      const browser = client();
      const script = scriptOf(await browser.get('/'));
      await cluster.scale({ web: 0 });
      const res = await browser.get(script);
      seen.push(res.status, res.servedBy);
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(seen).toEqual([503, 'balancer']);
  });
});
