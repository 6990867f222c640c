// Loads katas from the site bundle (browser or any Vite build): files as text, tests as modules, on first use.
import { assembleKataWith, KataError, type Kata } from './assemble.ts';
import type { KataMeta } from './schema.ts';

/** kata.json was checked against its schema when the site was built (the katas content collection). */
const builtMeta = (json: unknown): KataMeta => {
  const meta = json as Partial<KataMeta>;
  return { ...meta, alternatives: meta.alternatives ?? [] } as KataMeta;
};

const texts = import.meta.glob<string>(['/katas/*/**/*.{ts,js,json,md}', '!/katas/*/tests/**'], { query: '?raw', import: 'default' });
const testModules = import.meta.glob('/katas/*/tests/*.ts');

const cache = new Map<string, Promise<Kata>>();

export function bundledKataSlugs(): string[] {
  const slugs = new Set<string>();
  for (const path of Object.keys(texts)) slugs.add(path.split('/')[2]!);
  return [...slugs].sort();
}

export function loadBundledKata(slug: string): Promise<Kata> {
  let loading = cache.get(slug);
  if (!loading) {
    loading = load(slug);
    cache.set(slug, loading);
    loading.catch(() => cache.delete(slug));
  }
  return loading;
}

async function load(slug: string): Promise<Kata> {
  const prefix = `/katas/${slug}/`;
  const paths = Object.keys(texts).filter((path) => path.startsWith(prefix));
  if (paths.length === 0) throw new KataError(`no kata named "${slug}"`);
  const files: Record<string, string> = {};
  await Promise.all(paths.map(async (path) => {
    files[path.slice(prefix.length)] = await texts[path]!();
  }));
  const sample = testModules[`${prefix}tests/sample.ts`];
  const hidden = testModules[`${prefix}tests/hidden.ts`];
  if (!sample || !hidden) throw new KataError(`katas/${slug}/tests: sample.ts and hidden.ts are both needed`);
  return assembleKataWith({ slug, files, sample: await sample(), hidden: await hidden() }, builtMeta);
}
