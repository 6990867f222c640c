// Static assets from the release: files the build step leaves under public/ are answered by the platform (a CDN in
// front of the app, as Vercel, Netlify or Heroku with a CDN do), never by a process, with old releases kept for pages
// rendered before a deploy.
import type { WireRequest, WireResponse } from '../../process/protocol.ts';
import { LearnerError } from '../errors.ts';
import { INBOUND_LIMITS } from '../inbound.ts';

/** The folder of the build output the platform serves: `public/` in the app's folder (`/app/public/app.js` is `/app.js`). */
export const PUBLIC_DIR = '/app/public';

export const ASSET_LIMITS = {
  /** one public file, as a CDN caps what it caches (and the most a response may carry) */
  fileBytes: INBOUND_LIMITS.bodyBytes,
  /** files under public/ in one release */
  files: 2000,
};

/** Who answers asset requests, in `servedBy` and the trace. */
export const ASSETS = 'assets';

/** How long a browser may keep a fingerprinted file: a year, and it never asks again (its name changes with it). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Any other public file: kept, but checked with the platform before every use (its ETag answers 304 if unchanged). */
export const REVALIDATE = 'no-cache';

/**
 * A fingerprinted name carries a hex content hash of 8 to 64 characters before its extension, as Rails (`app-<digest>.js`)
 * and webpack's `[contenthash]` write them: `app.3f9a2c1b.js`, `app-3f9a2c1b.css`, `app.3f9a2c1b.js.map`.
 */
const FINGERPRINT = /[.-][0-9a-f]{8,64}(\.[A-Za-z0-9]+)+$/;

export function isFingerprinted(path: string): boolean {
  return FINGERPRINT.test(path.slice(path.lastIndexOf('/') + 1));
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', htm: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8', mjs: 'text/javascript; charset=utf-8', json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8', txt: 'text/plain; charset=utf-8', xml: 'application/xml; charset=utf-8',
  svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp',
  avif: 'image/avif', ico: 'image/x-icon', woff: 'font/woff', woff2: 'font/woff2', wasm: 'application/wasm',
  pdf: 'application/pdf', webmanifest: 'application/manifest+json',
};

export function contentTypeOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return (dot > 0 && TYPES[name.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

/** An ETag from the bytes: two 32-bit FNV-1a hashes (synchronous, so serving stays in the seed's order). */
function etagOf(data: Uint8Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ data.byteLength;
  for (let i = 0; i < data.byteLength; i++) {
    a = Math.imul(a ^ data[i]!, 0x01000193);
    b = Math.imul(b ^ data[i]!, 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `"${hex(a)}${hex(b)}"`;
}

interface Asset {
  data: Uint8Array;
  etag: string;
  type: string;
  fingerprinted: boolean;
}

/** What serving a request did, for the trace: `release` is the one whose file answered (0 when none did). */
export interface AssetAnswer {
  response: WireResponse;
  action: 'serve' | 'not-modified' | 'refused';
  release: number;
  /** the URL path asked for (as sent, still percent-encoded) */
  path: string;
  cache?: 'immutable' | 'revalidate';
  error?: string;
}

/**
 * The public files of every release kept. A release is kept while a live process runs it, and the one before the
 * current release is kept too: a page rendered just before a deploy (its process gone already, the HTML still in a
 * browser tab or an HTTP cache) asks for its own fingerprinted files afterwards. Older releases are dropped, as Rails'
 * `assets:clean` and CDNs with their own expiry do.
 */
export class ReleaseAssets {
  readonly #releases = new Map<number, Map<string, Asset>>();

  /** Take a release's build output; a public file over the limits fails the release, saying what and why. */
  add(release: number, disk: Record<string, Uint8Array>): void {
    const files = new Map<string, Asset>();
    for (const [file, data] of Object.entries(disk)) {
      if (!file.startsWith(`${PUBLIC_DIR}/`)) continue;
      const path = file.slice(PUBLIC_DIR.length);
      if (data.byteLength > ASSET_LIMITS.fileBytes) {
        throw new LearnerError(
          `the build step left public${path} of ${mb(data.byteLength)}; the most one public file may be is ${mb(ASSET_LIMITS.fileBytes)}`
          + ' (split it, or keep large media in the object store)',
        );
      }
      files.set(path, { data, etag: etagOf(data), type: contentTypeOf(path), fingerprinted: isFingerprinted(path) });
    }
    if (files.size > ASSET_LIMITS.files) {
      throw new LearnerError(`the build step left ${files.size} files under public/; the most a release may serve is ${ASSET_LIMITS.files}`);
    }
    this.#releases.set(release, files);
  }

  /** Drop every release no one can ask for any more (see the class). */
  prune(current: number, live: Iterable<number>): void {
    const keep = new Set([current, current - 1, ...live]);
    for (const release of this.#releases.keys()) if (!keep.has(release)) this.#releases.delete(release);
  }

  /** Releases whose files are served now, newest first. */
  kept(): number[] {
    return [...this.#releases.keys()].sort((a, b) => b - a);
  }

  /**
   * The platform's answer to a request, or undefined when it is the app's: only GET and HEAD of a path that names a
   * public file of a kept release (the newest release that has it), or a path that tries to climb out of public/.
   */
  serve(request: WireRequest): AssetAnswer | undefined {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const path = new URL(request.url).pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return undefined; // not a name any file could have: the app says what it makes of it
    }
    if (decoded.split(/[/\\]/).some((segment) => segment === '..') || decoded.includes('\\') || decoded.includes('\0')) {
      const error = 'the path tries to leave the public folder';
      return { response: refused(error), action: 'refused', release: 0, path, error };
    }
    for (const release of this.kept()) {
      const asset = this.#releases.get(release)!.get(decoded);
      if (asset) return answer(request, asset, release, path);
    }
    return undefined;
  }
}

function answer(request: WireRequest, asset: Asset, release: number, path: string): AssetAnswer {
  const cache = asset.fingerprinted ? 'immutable' : 'revalidate';
  const headers: [string, string][] = [
    ['content-type', asset.type],
    ['cache-control', asset.fingerprinted ? IMMUTABLE : REVALIDATE],
    ['etag', asset.etag],
    ['x-dojo-release', String(release)],
  ];
  const ifNoneMatch = request.headers.find(([name]) => name.toLowerCase() === 'if-none-match')?.[1];
  if (ifNoneMatch !== undefined && matches(ifNoneMatch, asset.etag)) {
    return { response: { status: 304, headers, body: new Uint8Array() }, action: 'not-modified', release, path, cache };
  }
  headers.push(['content-length', String(asset.data.byteLength)]);
  const body = request.method === 'HEAD' ? new Uint8Array() : asset.data.slice();
  return { response: { status: 200, headers, body }, action: 'serve', release, path, cache };
}

/** If-None-Match: `*`, or a list of tags (weak ones compare as strong for a GET, as RFC 9110 says). */
function matches(header: string, etag: string): boolean {
  return header.split(',').map((tag) => tag.trim().replace(/^W\//, '')).some((tag) => tag === '*' || tag === etag);
}

function refused(text: string): WireResponse {
  return {
    status: 400,
    headers: [['content-type', 'text/plain; charset=utf-8'], ['x-dojo-error', text]],
    body: new TextEncoder().encode(text),
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
