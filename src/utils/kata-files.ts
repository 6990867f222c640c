// The source files of every kata, bundled as text at build time (starter, solution, sample tests).
import { filesUnder } from '../engine/kata/assemble.ts';

const starters = import.meta.glob<string>('/katas/*/starter/**/*.ts', { query: '?raw', import: 'default', eager: true });
const solutions = import.meta.glob<string>('/katas/*/solution/**/*.ts', { query: '?raw', import: 'default', eager: true });
const samples = import.meta.glob<string>('/katas/*/tests/sample.ts', { query: '?raw', import: 'default', eager: true });

export function kataFiles(slug: string) {
  return {
    starter: filesUnder(starters, `/katas/${slug}/starter`),
    solution: filesUnder(solutions, `/katas/${slug}/solution`),
    sample: samples[`/katas/${slug}/tests/sample.ts`] ?? '',
  };
}

/** The hidden tests' names, from the test modules themselves (evaluated at build time, on the server). */
const hiddenModules = import.meta.glob<{ default: { name: string }[] }>('/katas/*/tests/hidden.ts', { eager: true });

export function hiddenTestNames(slug: string): string[] {
  return (hiddenModules[`/katas/${slug}/tests/hidden.ts`]?.default ?? []).map((test) => test.name);
}
