// An Astro integration that keeps Monaco's stylesheets from blocking the kata page's first paint.
// Astro links the CSS of every module a page's script may import, lazily or not (withastro/astro#9495), so
// Monaco's ~150 KB of CSS was render-blocking although its JavaScript loads only when the learner starts typing.
// After the build, each of those links gets media="print" (fetched at low priority, applied to nothing) and
// data-deferred-style; src/workbench/deferred-styles.ts turns them on just before the first editor is made.
import type { AstroIntegration } from 'astro';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Monaco's own stylesheets are the only ones full of `.monaco-editor` rules (the site's own have none). */
export function isMonacoStylesheet(css: string): boolean {
  return (css.match(/\.monaco-editor\b/g) ?? []).length >= 50;
}

/** The page's HTML with each link to one of `sheets` (hrefs) deferred; other links are left alone. */
export function deferLinks(html: string, sheets: ReadonlySet<string>): string {
  return html.replace(/<link rel="stylesheet" href="([^"]+)"\s*\/?>/g, (link, href: string) =>
    sheets.has(href) ? `<link rel="stylesheet" href="${href}" media="print" data-deferred-style>` : link);
}

export function deferMonacoCss(): AstroIntegration {
  return {
    name: 'stateless-dojo:defer-monaco-css',
    hooks: {
      'astro:build:done': ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const assets = join(root, '_astro');
        const sheets = new Set(readdirSync(assets)
          .filter((file) => file.endsWith('.css') && isMonacoStylesheet(readFileSync(join(assets, file), 'utf8')))
          .map((file) => `/_astro/${file}`));
        let pages = 0;
        const visit = (folder: string) => {
          for (const entry of readdirSync(folder, { withFileTypes: true })) {
            const path = join(folder, entry.name);
            if (entry.isDirectory()) visit(path);
            else if (entry.name.endsWith('.html')) {
              const html = readFileSync(path, 'utf8');
              const deferred = deferLinks(html, sheets);
              if (deferred !== html) {
                writeFileSync(path, deferred);
                pages += 1;
              }
            }
          }
        };
        if (sheets.size > 0) visit(root);
        logger.info(`Monaco's stylesheets (${sheets.size}) deferred on ${pages} page(s)`);
      },
    },
  };
}
