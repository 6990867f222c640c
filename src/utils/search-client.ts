// Queries the Pagefind index in the browser (loaded on first search, so other pages ship none of it).
export interface SearchHit {
  url: string;
  title: string;
  excerpt: string;
}

interface Pagefind {
  search(query: string): Promise<{ results: { data(): Promise<{ url: string; excerpt: string; meta: { title?: string } }> }[] }>;
}

let loading: Promise<Pagefind> | undefined;

export async function runSearch(query: string, limit = 10): Promise<SearchHit[]> {
  const bundle = '/pagefind/pagefind.js';
  loading ??= import(/* @vite-ignore */ bundle) as Promise<Pagefind>;
  const pagefind = await loading;
  const { results } = await pagefind.search(query);
  const hits = await Promise.all(results.slice(0, limit).map((result) => result.data()));
  return hits.map((hit) => ({ url: hit.url, title: hit.meta.title ?? hit.url, excerpt: hit.excerpt }));
}
