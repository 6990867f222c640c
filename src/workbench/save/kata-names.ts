// Every kata's file names (from its starter folder), so an imported progress file can only bring files a kata has.
// Only the names are used: Vite's lazy glob lists the paths without loading the files.
const starters = import.meta.glob(['/katas/*/starter/**/*.{ts,js,json,md}'], { query: '?raw', import: 'default' });

export function kataFileNames(): Record<string, string[]> {
  const names: Record<string, string[]> = {};
  for (const path of Object.keys(starters)) {
    const [, , slug, , ...rest] = path.split('/');
    (names[slug!] ??= []).push(rest.join('/'));
  }
  for (const list of Object.values(names)) list.sort();
  return names;
}
