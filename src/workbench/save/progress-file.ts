// The progress file (Export / Import progress): its format, and reading one with every limit checked before use.
import { isFiles, listNames, MAX_FILE_CHARS, MAX_PROGRESS_CHARS, size, sortFiles, type Files } from './files.ts';

export const PROGRESS_FORMAT = 'stateless-dojo-progress';

export interface Progress {
  format: typeof PROGRESS_FORMAT;
  version: 1;
  exportedAt: string;
  solved: string[];
  files: Record<string, Files>;
}

/** A progress file or share link that cannot be used; nothing was changed. */
export class ProgressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProgressError';
  }
}

export function buildProgress(files: Record<string, Files>, solved: Iterable<string>, now = new Date()): Progress {
  return { format: PROGRESS_FORMAT, version: 1, exportedAt: now.toISOString(), solved: [...new Set(solved)].sort(), files };
}

export interface ReadProgress {
  progress: Progress;
  /** what the file carried that is not taken, one plain sentence part each (e.g. "extra.ts of sessions (…)") */
  leftOut: string[];
}

/**
 * Check a whole progress file before anything changes: its size before parsing, its format, and each kata's files
 * against that kata's own file names (`kataNames`: slug → names) and the size limit. Katas this site does not have
 * are left out, and said so.
 */
export function parseProgress(text: string, kataNames: Readonly<Record<string, readonly string[]>>): ReadProgress {
  const unchanged = 'Nothing was changed.';
  if (text.length > MAX_PROGRESS_CHARS) throw new ProgressError(`This file is too large to be a progress file (${size(text.length)}). ${unchanged}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ProgressError(`This file is not a Stateless Dojo progress file (it is not JSON). ${unchanged}`);
  }
  const record = data as Partial<Progress> | null;
  if (typeof record !== 'object' || record === null || record.format !== PROGRESS_FORMAT) {
    throw new ProgressError(`This file is not a Stateless Dojo progress file. ${unchanged}`);
  }
  if (record.version !== 1) {
    throw new ProgressError(`This progress file has version ${String(record.version)}; this site reads version 1. ${unchanged}`);
  }
  if (!Array.isArray(record.solved) || !record.solved.every((slug) => typeof slug === 'string')) {
    throw new ProgressError(`The progress file is damaged ("solved" is not a list of katas). ${unchanged}`);
  }
  if (typeof record.files !== 'object' || record.files === null || Array.isArray(record.files)) {
    throw new ProgressError(`The progress file is damaged ("files" is missing). ${unchanged}`);
  }
  const files: Record<string, Files> = {};
  const leftOut: string[] = [];
  for (const [slug, set] of Object.entries(record.files)) {
    const names = Object.hasOwn(kataNames, slug) ? kataNames[slug] : undefined;
    if (!names) {
      leftOut.push(`the code of "${slug}" (this site has no such kata)`);
      continue;
    }
    if (!isFiles(set)) throw new ProgressError(`The progress file is damaged (the files of "${slug}" are not text). ${unchanged}`);
    const sorted = sortFiles(set, names);
    if (sorted.foreign.length) leftOut.push(`${listNames(sorted.foreign)} of ${slug} (that kata has no such file)`);
    if (sorted.oversize.length) leftOut.push(`${listNames(sorted.oversize)} of ${slug} (over ${size(MAX_FILE_CHARS)})`);
    if (Object.keys(sorted.kept).length) files[slug] = sorted.kept;
  }
  const solved = record.solved.filter((slug) => Object.hasOwn(kataNames, slug));
  return { progress: { format: PROGRESS_FORMAT, version: 1, exportedAt: String(record.exportedAt ?? ''), solved, files }, leftOut };
}

/** One kata an import would change, for the question the learner answers before it happens. */
export interface ImportChange {
  slug: string;
  /** the learner has code of their own for it, which the import replaces (else the import only adds code) */
  replaces: boolean;
}

/**
 * What importing `incoming` would change, given each kata's code now (the stored code, and for the open kata what is
 * in the editor): katas whose code is already the same are left out.
 */
export function planImport(incoming: Record<string, Files>, current: Readonly<Record<string, Files | undefined>>, starters: Readonly<Record<string, Files | undefined>> = {}): ImportChange[] {
  const changes: ImportChange[] = [];
  for (const [slug, files] of Object.entries(incoming).sort(([a], [b]) => a.localeCompare(b))) {
    const now = current[slug];
    const merged = { ...now, ...files };
    if (now && Object.keys(merged).every((name) => merged[name] === now[name])) continue;
    const starter = starters[slug];
    const own = now !== undefined && !(starter && Object.keys(now).every((name) => now[name] === starter[name]));
    changes.push({ slug, replaces: own });
  }
  return changes;
}
