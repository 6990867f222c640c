// The source files of every kata, bundled as text at build time (starter, solution, sample tests).
const starters = import.meta.glob<string>('/katas/*/starter/**/*.ts', { query: '?raw', import: 'default', eager: true });
const solutions = import.meta.glob<string>('/katas/*/solution/**/*.ts', { query: '?raw', import: 'default', eager: true });
const samples = import.meta.glob<string>('/katas/*/tests/sample.ts', { query: '?raw', import: 'default', eager: true });

function under(all: Record<string, string>, prefix: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [path, text] of Object.entries(all)) {
    if (path.startsWith(prefix)) files[path.slice(prefix.length)] = text;
  }
  return files;
}

export function kataFiles(slug: string) {
  return {
    starter: under(starters, `/katas/${slug}/starter/`),
    solution: under(solutions, `/katas/${slug}/solution/`),
    sample: samples[`/katas/${slug}/tests/sample.ts`] ?? '',
  };
}

/** The hidden tests' names, from the test modules themselves (evaluated at build time, on the server). */
const hiddenModules = import.meta.glob<{ default: { name: string }[] }>('/katas/*/tests/hidden.ts', { eager: true });

export function hiddenTestNames(slug: string): string[] {
  return (hiddenModules[`/katas/${slug}/tests/hidden.ts`]?.default ?? []).map((test) => test.name);
}
