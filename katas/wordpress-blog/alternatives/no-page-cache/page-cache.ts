// No page cache: every page is made on every request, from the database. Nothing can go stale, and
// nothing is kept anywhere; a CDN in front of the blog could cache pages for a few seconds instead.
import type { Env } from 'dojo';

export interface CachedPage {
  /** the page's cached HTML, or null when it has to be made */
  html: string | null;
  /** keeps the page's HTML, once made, for the next visitors */
  keep(html: string): Promise<void>;
}

/** Looks a page up: never cached, always made. */
export async function lookUpPage(env: Env, url: string): Promise<CachedPage> {
  return { html: null, async keep() {} };
}

/** Nothing to empty. */
export async function purgePageCache(env: Env): Promise<void> {}
