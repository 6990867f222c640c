// A kata's files as the workbench keeps them, the limits on code that comes from outside, and the sorting of it.

export type Files = Record<string, string>;

/** The most characters one file may have when it comes from a link or a progress file (the grader's 1 MB a file). */
export const MAX_FILE_CHARS = 1_000_000;
/** The most characters a share link's code may have once decompressed: a few files at their largest. */
export const MAX_LINK_TEXT_CHARS = 3_000_000;
/** The longest share link fragment read at all (checked before decompressing): far above any real kata's code. */
export const MAX_LINK_CHARS = 400_000;
/** The largest progress file read at all (checked before parsing). */
export const MAX_PROGRESS_CHARS = 30_000_000;

/** A file name as katas use them: letters, digits, dots, dashes, slashes; no `..`, no leading slash. */
export const isFileName = (name: string): boolean => /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/.test(name) && !name.split('/').includes('..');

export function isFiles(value: unknown): value is Files {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    Object.entries(value).every(([name, text]) => isFileName(name) && typeof text === 'string');
}

/** What came from outside (a link, a file, old storage), sorted into what a kata takes and what it refuses, and why. */
export interface Sorted {
  /** files the kata has, within the size limit */
  kept: Files;
  /** names the kata does not have */
  foreign: string[];
  /** files the kata has, but over the size limit */
  oversize: string[];
}

/** Keep only the kata's own file names (and, unless `anySize`, files within MAX_FILE_CHARS). */
export function sortFiles(files: Files, kataNames: readonly string[], { anySize = false } = {}): Sorted {
  const sorted: Sorted = { kept: {}, foreign: [], oversize: [] };
  for (const [name, text] of Object.entries(files)) {
    if (!kataNames.includes(name)) sorted.foreign.push(name);
    else if (!anySize && text.length > MAX_FILE_CHARS) sorted.oversize.push(name);
    else sorted.kept[name] = text;
  }
  sorted.foreign.sort();
  sorted.oversize.sort();
  return sorted;
}

/** The names of files over MAX_FILE_CHARS. */
export const oversizeFiles = (files: Files): string[] => Object.keys(files).filter((name) => files[name]!.length > MAX_FILE_CHARS).sort();

export const sameFiles = (a: Files | undefined, b: Files | undefined): boolean => {
  if (!a || !b) return a === b;
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
};

/** "1.2 MB", "340 KB": sizes for learners. */
export function size(chars: number): string {
  return chars >= 1_000_000 ? `${(chars / 1_000_000).toFixed(1)} MB` : `${Math.max(1, Math.round(chars / 1000))} KB`;
}

/** "a.ts", "a.ts and b.ts", "a.ts, b.ts and c.ts". */
export function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
