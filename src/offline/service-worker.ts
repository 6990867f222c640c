// The service worker: keeps every file of this build in the browser so that, after one visit, the whole site (pages,
// engine, editor, katas, search) works with no network — a classroom with bad Wi-Fi.
// Built by src/integrations/offline.ts into dist/sw.js, with this build's precache list put in for __PRECACHE__.
//
// Why cache-first for everything, pages included, rather than network-first for pages:
// - A page and the hashed scripts it loads must come from the same build. Network-first pages on a flaky network mix
//   a new page with an old build's cache (or wait out a dead connection before falling back), and the engine's
//   workers then fail to load halfway through a kata. Served from one cache, a build is always whole.
// - It never stays stale: the browser fetches sw.js afresh on every visit (bypassing its HTTP cache). A new build is
//   a new sw.js (its version is in it), which downloads what changed in the background and waits; the page then
//   shows "A new version of the site is available — Reload" (src/offline/register.ts), and the new build takes over
//   when the learner reloads through that notice or has closed every tab of the site.
// - Files not in the list (another site's, or one a later build added) go to the network untouched.
//
// Saving the site (about 35 MB) must never slow a learner down: the pages register this worker only once they are
// idle (src/offline/quiet.ts), its downloads ask the browser for low priority, and a page running tests pauses it
// (its downloads under way are stopped and started again once the page is quiet).
import { cacheKeysFor, type PrecacheManifest } from './manifest.ts';
import { Pauses } from './pauses.ts';
import type { OfflineStatus, ToServiceWorker } from './protocol.ts';

declare const __PRECACHE__: PrecacheManifest;
/** The headers every response of the site carries (src/utils/headers.ts), for responses from a host that dropped some. */
declare const __ISOLATION_HEADERS__: Record<string, string>;

/** The parts of the service worker global this file uses (the project's type-check has the DOM lib only). */
interface ServiceWorkerScope {
  registration: { scope: string };
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEvent) => void): void;
}
interface ExtendableEvent extends Event { waitUntil(promise: Promise<unknown>): void }
interface FetchEvent extends ExtendableEvent { request: Request; respondWith(response: Promise<Response>): void }
interface ExtendableMessageEvent extends ExtendableEvent { data: ToServiceWorker; ports: readonly MessagePort[]; source: { id?: string } | null }

const scope = self as unknown as ServiceWorkerScope;
const { version, entries } = __PRECACHE__;
const PREFIX = 'stateless-dojo-';
const CACHE = `${PREFIX}${version}`;
/** Stored with each kept response: the file's revision, so the next build reuses what did not change. */
const REVISION = 'x-dojo-revision';
/** Downloads at once while installing: enough to fill a slow link, few enough not to starve the page. */
const PARALLEL = 4;
const kept = new Set(entries.map((entry) => entry.url));
/** Pages running tests: while any does, the download waits. */
const pauses = new Pauses();

scope.addEventListener('install', (event) => {
  event.waitUntil(precache());
});

scope.addEventListener('activate', (event) => {
  // Only now, when this build serves the pages, may the older builds' caches go.
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    // On a first visit the open page is not controlled yet: take it, so its later loads (the editor, a kata's
    // workers) are served from the cache too. After an update the pages are taken only once the learner chose to.
    await scope.clients.claim();
  })());
});

scope.addEventListener('message', (event) => {
  const message = event.data;
  if (message?.type === 'skip-waiting') event.waitUntil(scope.skipWaiting());
  else if (message?.type === 'status') event.waitUntil(status().then((answer) => event.ports[0]?.postMessage(answer)));
  else if (message?.type === 'pause') pauses.pause(event.source?.id ?? 'page');
  else if (message?.type === 'resume') pauses.resume(event.source?.id ?? 'page');
});

scope.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || request.headers.has('range')) return;
  const url = new URL(request.url);
  if (url.origin !== scope.location.origin) return;
  const key = cacheKeysFor(url.pathname).find((candidate) => kept.has(candidate));
  if (!key) return;
  event.respondWith((async () => {
    const cached = await caches.open(CACHE).then((cache) => cache.match(key));
    // Not there (the browser evicted it, or install has not finished): the network, as without a service worker.
    return cached ?? fetch(request);
  })());
});

/** Keep every file of this build: from an older build's cache when its revision is the same, else downloaded. */
async function precache(): Promise<void> {
  const cache = await caches.open(CACHE);
  const older = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  const queue = [...entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      await pauses.unpaused();
      if (await cache.match(entry.url).then((hit) => hit?.headers.get(REVISION) === entry.revision)) continue;
      let response = await reuse(older, entry.url, entry.revision);
      // A pause may have come during those awaits: its page gets the network first.
      const signal = pauses.signal;
      if (!response && pauses.paused) {
        queue.unshift(entry);
        continue;
      }
      try {
        if (!response) {
          // 'reload' for pages (their URLs stay the same across builds); hashed assets may come from the HTTP cache.
          const fresh = await fetch(entry.url, { cache: entry.url.startsWith('/_astro/') ? 'default' : 'reload', priority: 'low', signal });
          if (!fresh.ok) throw new Error(`${entry.url}: ${fresh.status}`);
          response = await keepable(fresh, entry.revision);
        }
      } catch (error) {
        // Stopped by a page's pause: the file goes back in the queue for when the page is quiet.
        if (!signal.aborted) throw error;
        queue.unshift(entry);
        continue;
      }
      await cache.put(entry.url, response);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
}

async function reuse(older: readonly string[], url: string, revision: string): Promise<Response | undefined> {
  for (const name of older) {
    const hit = await (await caches.open(name)).match(url);
    if (hit?.headers.get(REVISION) === revision) return hit;
  }
  return undefined;
}

/**
 * The response as it is kept: its body and headers, marked with its revision, and with the isolation and security
 * headers added where the host left them out (a page served from the cache must stay cross-origin isolated, or the
 * engine loses SharedArrayBuffer). A new Response also drops the "redirected" flag, which a page may not be served with.
 */
async function keepable(response: Response, revision: string): Promise<Response> {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(__ISOLATION_HEADERS__)) if (!headers.has(name)) headers.set(name, value);
  headers.set(REVISION, revision);
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

async function status(): Promise<OfflineStatus> {
  const cache = await caches.open(CACHE);
  const keys = new Set((await cache.keys()).map((request) => new URL(request.url).pathname));
  const cached = entries.filter((entry) => keys.has(entry.url)).length;
  const bytes = await navigator.storage?.estimate?.().then((estimate) => estimate.usage).catch(() => undefined);
  return { version, total: entries.length, cached, usage: bytes ?? null };
}
