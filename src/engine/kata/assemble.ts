// A kata as the engine uses it (metadata, file sets, tests), assembled and checked from raw folder contents.
// Free of zod, so the browser bundle does not carry it: the caller says how kata.json is checked.
import type { KataMeta } from './schema.ts';
import type { TestDefinition } from '../testing/types.ts';

/** path inside a file set → source text */
export type FileSet = Record<string, string>;

export interface Kata {
  slug: string;
  meta: KataMeta;
  brief: string;
  starter: FileSet;
  solution: FileSet;
  alternatives: Record<string, FileSet>;
  wrong: Record<string, FileSet>;
  sample: TestDefinition[];
  hidden: TestDefinition[];
}

/** A kata folder that cannot be used; the message names the file and what is wrong. */
export class KataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KataError';
  }
}

export interface RawKata {
  slug: string;
  /** every file of the kata folder, by path relative to it (e.g. `starter/app.ts`) */
  files: Record<string, string>;
  sample: unknown;
  hidden: unknown;
}

/** The files under `prefix/`, with the prefix taken off. */
export function filesUnder(files: Record<string, string>, prefix: string): FileSet {
  const set: FileSet = {};
  for (const [path, text] of Object.entries(files)) {
    if (path.startsWith(`${prefix}/`)) set[path.slice(prefix.length + 1)] = text;
  }
  return set;
}

function folderNames(files: Record<string, string>, parent: string): string[] {
  const names = new Set<string>();
  for (const path of Object.keys(files)) {
    const match = new RegExp(`^${parent}/([^/]+)/`).exec(path);
    if (match) names.add(match[1]!);
  }
  return [...names].sort();
}

/**
 * A variant (wrong/<name>, alternatives/<name>) holds only the files it changes; the others are the solution's. So a
 * wrong variant shows its one mistake and nothing else, and a fix to a shared file is made once.
 */
export function overSolution(solution: FileSet, own: FileSet): FileSet {
  return { ...solution, ...own };
}

/** A test module's default export, checked: an array of uniquely named test(name, run) definitions. */
export function testsOf(value: unknown, file: string): TestDefinition[] {
  const list = (value as { default?: unknown })?.default ?? value;
  if (!Array.isArray(list) || list.some((test) => typeof test?.name !== 'string' || typeof test?.run !== 'function')) {
    throw new KataError(`${file}: the default export must be an array of test(name, run) definitions`);
  }
  const names = new Set<string>();
  for (const test of list as TestDefinition[]) {
    if (names.has(test.name)) throw new KataError(`${file}: two tests are named "${test.name}"`);
    names.add(test.name);
  }
  return list as TestDefinition[];
}

/** Turns kata.json's parsed JSON into metadata, or throws a KataError naming the file and the field. */
export type ParseMeta = (json: unknown, file: string) => KataMeta;

export function assembleKataWith(raw: RawKata, parseMeta: ParseMeta): Kata {
  const where = `katas/${raw.slug}`;
  const metaText = raw.files['kata.json'];
  if (metaText === undefined) throw new KataError(`${where}/kata.json: missing`);
  let json: unknown;
  try {
    json = JSON.parse(metaText);
  } catch (error) {
    throw new KataError(`${where}/kata.json: not valid JSON (${(error as Error).message})`);
  }
  const meta = parseMeta(json, `${where}/kata.json`);

  const brief = raw.files['brief.md'];
  if (brief === undefined) throw new KataError(`${where}/brief.md: missing`);
  const starter = filesUnder(raw.files, 'starter');
  const solution = filesUnder(raw.files, 'solution');
  const hidden = testsOf(raw.hidden, `${where}/tests/hidden.ts`);
  const sample = testsOf(raw.sample, `${where}/tests/sample.ts`);

  /** Every file set must have every entry, or its verdict would prove nothing. */
  const checkEntries = (name: string, set: FileSet) => {
    for (const [type, entry] of Object.entries(meta.processes)) {
      if (!(entry in set)) throw new KataError(`${where}/${name}/${entry}: missing (entry of the "${type}" processes)`);
    }
    if (meta.build && !(meta.build in set)) throw new KataError(`${where}/${name}/${meta.build}: missing (the build step)`);
  };
  checkEntries('starter', starter);
  checkEntries('solution', solution);
  const wrong: Record<string, FileSet> = {};
  const hiddenNames = hidden.map((test) => test.name);
  for (const [i, variant] of meta.wrong.entries()) {
    const own = filesUnder(raw.files, `wrong/${variant.name}`);
    if (Object.keys(own).length === 0) throw new KataError(`${where}/kata.json: wrong.${i}.name: no folder wrong/${variant.name}/`);
    const files = overSolution(solution, own);
    if (!hiddenNames.includes(variant.mustFail)) {
      throw new KataError(`${where}/kata.json: wrong.${i}.mustFail: "${variant.mustFail}" is not the name of a hidden test`);
    }
    checkEntries(`wrong/${variant.name}`, files);
    wrong[variant.name] = files;
  }
  for (const folder of folderNames(raw.files, 'wrong')) {
    if (!(folder in wrong)) throw new KataError(`${where}/wrong/${folder}/: not listed in kata.json's "wrong"`);
  }
  const alternatives: Record<string, FileSet> = {};
  for (const [i, name] of meta.alternatives.entries()) {
    const own = filesUnder(raw.files, `alternatives/${name}`);
    if (Object.keys(own).length === 0) throw new KataError(`${where}/kata.json: alternatives.${i}: no folder alternatives/${name}/`);
    const files = overSolution(solution, own);
    checkEntries(`alternatives/${name}`, files);
    alternatives[name] = files;
  }
  return { slug: raw.slug, meta, brief, starter, solution, alternatives, wrong, sample, hidden };
}
