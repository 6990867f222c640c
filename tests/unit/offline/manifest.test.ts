// The precache list: what of the build is kept offline, under which URL, and when a build counts as new.
import { describe, expect, it } from 'vitest';
import { buildManifest, cacheKeysFor, isPrecached, urlOf } from '../../../src/offline/manifest.ts';

const hash = (text: string) => `h${text.length}:${[...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) >>> 0, 7).toString(16)}`;

describe('the precache list', () => {
  it('keeps pages, scripts, workers, kata data and the search index, and leaves out what no offline visit needs', () => {
    for (const path of ['index.html', 'lessons/share-nothing/index.html', '_astro/ts.worker-abc.js', '_astro/pglite-x.wasm', 'pagefind/pagefind.js', 'favicon.svg', '404.html']) {
      expect(isPrecached(path), path).toBe(true);
    }
    for (const path of ['sw.js', '_headers', 'webcontainer/runner.mjs', '_astro/app.js.map']) expect(isPrecached(path), path).toBe(false);
  });

  it('names each page by the URL it is served at', () => {
    expect(urlOf('index.html')).toBe('/');
    expect(urlOf('katas/sessions/index.html')).toBe('/katas/sessions/');
    expect(urlOf('404.html')).toBe('/404.html');
    expect(urlOf('_astro/x.js')).toBe('/_astro/x.js');
  });

  it('gives the same version for the same files in any order, and a new version when one file changes', () => {
    const files = [{ path: 'index.html', hash: 'a' }, { path: '_astro/x.js', hash: 'b' }, { path: 'sw.js', hash: 'c' }];
    const first = buildManifest(files, hash);
    expect(first.entries).toEqual([{ url: '/', revision: 'a' }, { url: '/_astro/x.js', revision: 'b' }]);
    expect(buildManifest([...files].reverse(), hash).version).toBe(first.version);
    expect(buildManifest([files[0]!, { path: '_astro/x.js', hash: 'B' }], hash).version).not.toBe(first.version);
    // The worker itself is not in the list, so its own bytes do not make a new version.
    expect(buildManifest([files[0]!, files[1]!, { path: 'sw.js', hash: 'z' }], hash).version).toBe(first.version);
  });

  it('finds a page however its address is written, and a file only by its own name', () => {
    expect(cacheKeysFor('/katas/sessions/')).toEqual(['/katas/sessions/']);
    expect(cacheKeysFor('/katas/sessions')).toEqual(['/katas/sessions', '/katas/sessions/']);
    expect(cacheKeysFor('/katas/sessions/index.html')).toEqual(['/katas/sessions/index.html', '/katas/sessions/']);
    expect(cacheKeysFor('/_astro/x.js')).toEqual(['/_astro/x.js']);
  });
});
