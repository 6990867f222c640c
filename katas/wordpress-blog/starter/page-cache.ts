// A page cache, as WP Super Cache or W3 Total Cache keep one: the first visit to a page writes its HTML
// to wp-content/cache, and later visits are served that file without running WordPress at all.
import type { Env } from 'dojo';
import fs from 'node:fs';

const CACHE = '/app/wp-content/cache/supercache';

const fileOf = (url: string) => `${CACHE}/${encodeURIComponent(url)}.html`;

export interface CachedPage {
  /** the page's cached HTML, or null when it has to be made */
  html: string | null;
  /** keeps the page's HTML, once made, for the next visitors */
  keep(html: string): Promise<void>;
}

/** Looks a page up by its path and query (such as "/?p=3"). */
export async function lookUpPage(env: Env, url: string): Promise<CachedPage> {
  const file = fileOf(url);
  return {
    html: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null,
    async keep(html) {
      fs.mkdirSync(CACHE, { recursive: true });
      fs.writeFileSync(file, html);
    },
  };
}

/** Empties the cache when a post is published, so the home page lists it. */
export async function purgePageCache(env: Env): Promise<void> {
  fs.rmSync(CACHE, { recursive: true, force: true });
}
