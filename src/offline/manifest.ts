// The precache list of the built site: which files of dist/ a visitor's browser keeps for offline use, under which
// URL, with which revision, and the version of the whole build. Pure (no Node, no DOM): the build and tests use it.

/** One file the service worker keeps: its URL on the site and a hash of its bytes (unchanged hash, no download). */
export interface PrecacheEntry {
  url: string;
  revision: string;
}

export interface PrecacheManifest {
  /** a hash of every entry: a new build with any changed file is a new version (and a new service worker) */
  version: string;
  entries: PrecacheEntry[];
}

/**
 * Files of dist/ that are not kept:
 * - the service worker itself (the browser fetches it on its own to look for updates);
 * - host configuration (`_headers` is read by Netlify and Cloudflare, never by a browser);
 * - the WebContainer runner: that engine boots StackBlitz's hosted frame, so it needs the network whatever we keep;
 * - source maps, which only developer tools fetch.
 */
export function isPrecached(path: string): boolean {
  if (path === 'sw.js' || path === '_headers') return false;
  if (path.startsWith('webcontainer/')) return false;
  if (path.endsWith('.map')) return false;
  return true;
}

/** The URL a built file is served at: `lessons/x/index.html` is `/lessons/x/`, `index.html` is `/`. */
export function urlOf(path: string): string {
  if (path === 'index.html') return '/';
  if (path.endsWith('/index.html')) return `/${path.slice(0, -'index.html'.length)}`;
  return `/${path}`;
}

/**
 * The manifest from every file of dist/ (its path relative to dist/, with "/", and a hash of its bytes), sorted so
 * that the same build gives the same version wherever it is built. `hash` turns text into a short hex digest.
 */
export function buildManifest(files: ReadonlyArray<{ path: string; hash: string }>, hash: (text: string) => string): PrecacheManifest {
  const entries = files
    .filter((file) => isPrecached(file.path))
    .map((file) => ({ url: urlOf(file.path), revision: file.hash }))
    .sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const version = hash(entries.map((entry) => `${entry.url} ${entry.revision}`).join('\n'));
  return { version, entries };
}

/**
 * The cache keys to try for a request's URL path, best first: the path itself, then the page it names (a page is
 * kept as `/x/`, and `/x` or `/x/index.html` asks for the same page).
 */
export function cacheKeysFor(pathname: string): string[] {
  if (pathname.endsWith('/index.html')) return [pathname, pathname.slice(0, -'index.html'.length)];
  if (pathname.endsWith('/')) return [pathname];
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  // "/katas/sessions" is a page; "/_astro/x.js" is a file: only a last part without a dot can name a page.
  return last.includes('.') ? [pathname] : [pathname, `${pathname}/`];
}
