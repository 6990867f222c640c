// The one file a learner hands in: its format, a validating parser (which also takes the site's "Export progress"
// file as it is) and a pure maker for the page's "Hand in" button. Free of Node and of the DOM: the page may import it.
import { z } from 'zod';
import { MAX_FILE_BYTES, MAX_FILES_PER_KATA, MAX_HAND_IN_FILE_BYTES, MAX_KATAS_PER_HAND_IN, MAX_LEARNER_BYTES, TEXT_FILE } from '../limits.ts';

export const HAND_IN_FORMAT = 'stateless-dojo-hand-in';
export const HAND_IN_VERSION = 1;
/** What src/workbench/persistence.ts writes on "Export progress" (format and version read from its export). */
export const PROGRESS_FORMAT = 'stateless-dojo-progress';
/** What `grade --format json` writes: recognised so a report saved in the class folder is not taken for a hand-in. */
export const GRADES_FORMAT = 'stateless-dojo-grades';

export type Files = Record<string, string>;

/** A hand-in file, version 1. */
export interface HandIn {
  format: typeof HAND_IN_FORMAT;
  version: typeof HAND_IN_VERSION;
  /** the learner's name as they typed it */
  learner: string;
  /** ISO 8601 */
  handedInAt: string;
  /** the katas the learner's browser marked solved: a claim; grading is what tells */
  solved: string[];
  /** kata slug → file path → text */
  files: Record<string, Files>;
}

/** What a hand-in or an exported progress file gives the grader. */
export interface Submission {
  kind: 'hand-in' | 'export';
  /** null for an export, which has no name in it: the grader names the learner after the file */
  learner: string | null;
  solved: string[];
  files: Record<string, Files>;
}

/** Why a file cannot be graded, as data (the grader decides what to do) and in plain words (for the instructor). */
export type HandInProblem = 'too-big' | 'not-json' | 'foreign' | 'grades-report' | 'version' | 'invalid';

export class HandInError extends Error {
  readonly problem: HandInProblem;
  constructor(problem: HandInProblem, message: string) {
    super(message);
    this.name = 'HandInError';
    this.problem = problem;
  }
}

const KATA_SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Relative paths of plain names: no "..", no ".", no empty part, no leading "/", no backslash, no drive letter. */
const SAFE_PATH = /^(?!\.{1,2}(?:\/|$))(?!.*\/\.{1,2}(?:\/|$))[\w.-]+(?:\/[\w.-]+)*$/;
const MAX_PATH_CHARS = 200;
const MAX_NAME_CHARS = 80;

const FilesShape = z.record(z.string(), z.string());
const Shapes = {
  [HAND_IN_FORMAT]: z.object({
    format: z.literal(HAND_IN_FORMAT),
    version: z.literal(HAND_IN_VERSION),
    learner: z.string(),
    handedInAt: z.string().optional(),
    solved: z.array(z.string()),
    files: z.record(z.string(), FilesShape),
  }),
  [PROGRESS_FORMAT]: z.object({
    format: z.literal(PROGRESS_FORMAT),
    version: z.literal(1),
    exportedAt: z.string().optional(),
    solved: z.array(z.string()),
    files: z.record(z.string(), FilesShape),
  }),
} as const;

/**
 * Read a hand-in file or an exported progress file. Throws HandInError, whose message says what is wrong and where
 * (the kata and file), for anything else: not JSON, another program's file, a version this grader does not read,
 * wrong types, unsafe or unsupported file names, too many or too large files.
 */
export function parseHandIn(text: string): Submission {
  if (text.length > MAX_HAND_IN_FILE_BYTES) throw new HandInError('too-big', `the file is over ${megabytes(MAX_HAND_IN_FILE_BYTES)}`);
  if (text.trim() === '') throw new HandInError('not-json', 'the file is empty');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new HandInError('not-json', `not JSON, so not a hand-in or progress file (${(error as Error).message})`);
  }
  const format = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as { format?: unknown }).format : undefined;
  if (format === GRADES_FORMAT) throw new HandInError('grades-report', 'a grades report written by `grade`, not a learner\'s hand-in');
  if (format !== HAND_IN_FORMAT && format !== PROGRESS_FORMAT) {
    throw new HandInError('foreign', format === undefined
      ? 'not a Stateless Dojo hand-in or progress file (it has no "format" field)'
      : `not a Stateless Dojo hand-in or progress file (its format is ${JSON.stringify(format).slice(0, 60)})`);
  }
  const version = (data as { version?: unknown }).version;
  const expected = format === HAND_IN_FORMAT ? HAND_IN_VERSION : 1;
  if (version !== expected) {
    throw new HandInError('version', `${format === HAND_IN_FORMAT ? 'hand-in' : 'progress'} file version ${JSON.stringify(version) ?? 'missing'}; this grader reads version ${expected}`);
  }
  const parsed = Shapes[format].safeParse(data);
  if (!parsed.success) throw new HandInError('invalid', `damaged: ${describeIssues(parsed.error.issues)}`);
  const record = parsed.data;
  const learner = 'learner' in record ? checkedName(record.learner) : null;
  // The names as JSON.parse gave them: zod's copy would have turned a "__proto__" key into a prototype, unchecked.
  checkContents(record.solved, (data as { files: Record<string, Files> }).files);
  return { kind: format === HAND_IN_FORMAT ? 'hand-in' : 'export', learner, solved: record.solved, files: record.files };
}

/**
 * Make a hand-in from what "Export progress" gathers (the katas marked solved, the files per kata) and the name the
 * learner typed; pure, so `handedInAt` is given. Throws HandInError when the grader would refuse the result (a bad
 * name, a file too large...), so the page can say so before the learner sends it.
 */
export function makeHandIn(progress: { solved: readonly string[]; files: Readonly<Record<string, Files>> }, learner: string, handedInAt: string): HandIn {
  const files: Record<string, Files> = {};
  for (const [slug, set] of Object.entries(progress.files)) files[slug] = { ...set };
  const handIn: HandIn = {
    format: HAND_IN_FORMAT,
    version: HAND_IN_VERSION,
    learner: checkedName(learner),
    handedInAt,
    solved: [...new Set(progress.solved)].sort(),
    files,
  };
  checkContents(handIn.solved, handIn.files);
  return handIn;
}

/** The hand-in as the file's text. */
export function handInText(handIn: HandIn): string {
  return `${JSON.stringify(handIn, null, 2)}\n`;
}

/** A file name that tells the instructor whose it is: stateless-dojo-hand-in-ada-lovelace.json. */
export function handInFileName(learner: string): string {
  const plain = learner.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `stateless-dojo-hand-in${plain ? `-${plain.slice(0, 40)}` : ''}.json`;
}

function checkedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new HandInError('invalid', 'damaged: the learner\'s name is empty');
  if (trimmed.length > MAX_NAME_CHARS) throw new HandInError('invalid', `damaged: the learner's name is over ${MAX_NAME_CHARS} characters`);
  // Control characters would garble the table; a leading = + - @ makes a spreadsheet run the CSV cell as a formula.
  if (/\p{Cc}/u.test(trimmed)) throw new HandInError('invalid', 'damaged: the learner\'s name holds control characters');
  if (/^[=+\-@]/.test(trimmed)) throw new HandInError('invalid', 'damaged: the learner\'s name may not begin with =, +, - or @');
  return trimmed;
}

/** Names, counts and sizes: what the grader writes to disk from this file must be safe to write and worth grading. */
function checkContents(solved: readonly string[], files: Readonly<Record<string, Files>>): void {
  for (const [field, count] of [['solved', solved.length], ['files', Object.keys(files).length]] as const) {
    if (count > MAX_KATAS_PER_HAND_IN) throw new HandInError('invalid', `damaged: "${field}" lists ${count} katas (a hand-in is limited to ${MAX_KATAS_PER_HAND_IN})`);
  }
  for (const slug of solved) {
    if (!KATA_SLUG.test(slug)) throw new HandInError('invalid', `damaged: ${JSON.stringify(slug).slice(0, 60)} in "solved" is not a kata's name`);
  }
  let total = 0;
  for (const [slug, set] of Object.entries(files)) {
    if (!KATA_SLUG.test(slug)) throw new HandInError('invalid', `damaged: ${JSON.stringify(slug).slice(0, 60)} in "files" is not a kata's name`);
    const paths = Object.keys(set);
    if (paths.length > MAX_FILES_PER_KATA) throw new HandInError('invalid', `${slug}: ${paths.length} files (a kata's hand-in is limited to ${MAX_FILES_PER_KATA})`);
    for (const path of paths) {
      const shown = JSON.stringify(path).slice(0, MAX_PATH_CHARS);
      if (path.length > MAX_PATH_CHARS || !SAFE_PATH.test(path)) {
        throw new HandInError('invalid', `${slug}: refused the file name ${shown} (names are relative paths of letters, digits, ".", "_", "-" and "/", without ".." or a leading "/")`);
      }
      if (!TEXT_FILE.test(path)) throw new HandInError('invalid', `${slug}: refused ${shown} (only .ts, .js, .json, .md, .txt, .html and .css files are graded)`);
      const bytes = utf8Length(set[path]!);
      if (bytes > MAX_FILE_BYTES) throw new HandInError('invalid', `${slug}/${path}: refused, ${bytes} bytes (files are limited to ${megabytes(MAX_FILE_BYTES)})`);
      total += bytes;
      if (total > MAX_LEARNER_BYTES) throw new HandInError('invalid', `${slug}/${path}: refused, the hand-in's code is over ${megabytes(MAX_LEARNER_BYTES)} in all`);
    }
  }
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => {
    const where = issue.path.map((part) => JSON.stringify(String(part)).slice(0, 60)).join(' › ');
    return `${where || 'the file'}: ${issue.message}`;
  });
  return shown.join('; ') + (issues.length > 3 ? ` (and ${issues.length - 3} more)` : '');
}

const encoder = new TextEncoder();
function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

function megabytes(bytes: number): string {
  return `${bytes / 1024 / 1024} MB`;
}
