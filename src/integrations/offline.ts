// Makes the built site work offline after one visit: lists every file Astro wrote (with a hash of its bytes as its
// revision, and a hash of the list as the build's version) and bundles src/offline/service-worker.ts with that list
// into dist/sw.js. Runs last, after Pagefind has written the search index, so the index is in the list.
//
// Why hand-written and not workbox-build: the list is one walk of dist/ and a hash per file, while workbox-build
// brings a bundler and a compiler of its own (rollup, babel: well over a hundred packages) to generate a worker that
// would still need the custom part — adding the cross-origin isolation headers to what it serves — by hand.
import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildManifest, isPrecached } from '../offline/manifest.ts';
import { RESPONSE_HEADERS } from '../utils/headers.ts';

const hash = (data: string | Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** Every file under `root`, as paths relative to it with "/". */
function filesUnder(root: string): string[] {
  const found: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) found.push(relative(root, path).split(sep).join('/'));
    }
  };
  visit(root);
  return found;
}

export function offline(): AstroIntegration {
  return {
    name: 'stateless-dojo:offline',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const files = filesUnder(root).map((path) => {
          const bytes = readFileSync(join(root, path));
          return { path, hash: hash(bytes), size: bytes.length };
        });
        const manifest = buildManifest(files, hash);
        await build({
          entryPoints: [fileURLToPath(new URL('../offline/service-worker.ts', import.meta.url))],
          outfile: join(root, 'sw.js'),
          bundle: true,
          format: 'iife',
          target: 'es2022',
          legalComments: 'none',
          logLevel: 'warning',
          define: {
            __PRECACHE__: JSON.stringify(manifest),
            __ISOLATION_HEADERS__: JSON.stringify(RESPONSE_HEADERS),
          },
        });
        const bytes = files.filter((file) => isPrecached(file.path)).reduce((sum, file) => sum + file.size, 0);
        logger.info(`offline: the service worker keeps ${manifest.entries.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB (version ${manifest.version})`);
      },
    },
  };
}
