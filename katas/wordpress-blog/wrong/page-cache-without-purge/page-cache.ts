// A page cache every process shares, as a Redis-backed page cache (or a CDN) keeps one: the first visit
// to a page stores its HTML in the store for five minutes, later visits to any process get it from
// there, and publishing a post empties it for every process at once.
import type { Env } from 'dojo';

const TTL_SECONDS = 5 * 60; // a hint, not a record: the page can always be made again

export interface CachedPage {
  /** the page's cached HTML, or null when it has to be made */
  html: string | null;
  /** keeps the page's HTML, once made, for the next visitors */
  keep(html: string): Promise<void>;
}

/**
 * Looks a page up by its path and query (such as "/?p=3"). Pages are kept under the cache's current
 * generation, and purging moves to the next one: every process stops finding the old pages at the same
 * moment, and they expire on their own. The key is chosen before the page is made, so a page made while
 * a post was being published is kept under the old generation, never served as new.
 */
export async function lookUpPage(env: Env, url: string): Promise<CachedPage> {
  const generation = (await env.kv.get('page_cache:generation')) ?? '0';
  const key = `page_cache:${generation}:${url}`;
  return {
    html: await env.kv.get(key),
    async keep(html) {
      await env.kv.set(key, html, { EX: TTL_SECONDS });
    },
  };
}

/** Nothing to empty: the pages expire on their own within five minutes, which is fresh enough (it is not). */
export async function purgePageCache(env: Env): Promise<void> {}
