// Reads a class folder (hand-in files, exported progress files, or one folder per learner) into what is to be graded.
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_HAND_IN_FILE_BYTES } from '../limits.ts';
import { HandInError, parseHandIn, type Files } from './hand-in.ts';

/** Who a result belongs to: the learner's name and the entry of the class folder it came from. */
export interface Who {
  learner: string;
  source: string;
}

/** One entry of the class folder. */
export type Entry = Who & (
  | { kind: 'folder'; path: string }
  | { kind: 'hand-in'; solved: string[]; files: Record<string, Files> }
  | { kind: 'refused'; message: string }
);

/** What the class folder holds, sorted by entry name, and what was passed over (and why, for the instructor). */
export interface ClassFolder {
  entries: Entry[];
  skipped: string[];
}

/**
 * Read `classDir`: each sub-folder is a learner's files for one kata; each .json file a hand-in or exported progress
 * file (named after the learner inside, or else after the file). A link, a FIFO or a file that is not a usable
 * hand-in is an entry `refused` with the reason, never a silent zero. Dot-files are passed over, as are other files
 * and grades reports (a report saved into the class folder must not be graded next time).
 */
export async function readClassFolder(classDir: string): Promise<ClassFolder> {
  const entries: Entry[] = [];
  const skipped: string[] = [];
  const listing = (await readdir(classDir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of listing) {
    const source = dirent.name;
    if (source.startsWith('.')) continue;
    const isJson = /\.json$/i.test(source);
    const named = { learner: isJson ? source.replace(/\.json$/i, '') : source, source };
    // Dirent types come from lstat: a link is a link here, never what it points at.
    if (dirent.isSymbolicLink()) entries.push({ ...named, kind: 'refused', message: `${source}: refused, a symbolic link (hand in a file or a folder)` });
    else if (dirent.isDirectory()) entries.push({ ...named, kind: 'folder', path: join(classDir, source) });
    else if (!isJson) skipped.push(`${source}: not a hand-in (.json) nor a learner's folder`);
    else if (!dirent.isFile()) entries.push({ ...named, kind: 'refused', message: `${source}: refused, not a regular file` });
    else {
      try {
        const submission = parseHandIn(await readHandIn(join(classDir, source)));
        entries.push({ ...named, learner: submission.learner ?? named.learner, kind: 'hand-in', solved: submission.solved, files: submission.files });
      } catch (error) {
        if (error instanceof HandInError && error.problem === 'grades-report') skipped.push(`${source}: ${error.message}`);
        else if (error instanceof HandInError) entries.push({ ...named, kind: 'refused', message: `${source}: ${error.message}` });
        else entries.push({ ...named, kind: 'refused', message: `${source}: cannot be read (${(error as Error).message})` });
      }
    }
  }
  return { entries, skipped };
}

/** A hand-in's text: still a regular file when opened (not swapped for a link or FIFO), and not over the size limit. */
export async function readHandIn(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new HandInError('invalid', 'refused, a symbolic link');
    throw error;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new HandInError('invalid', 'refused, not a regular file');
    if (info.size > MAX_HAND_IN_FILE_BYTES) throw new HandInError('too-big', `refused, ${info.size} bytes (a hand-in file is limited to ${MAX_HAND_IN_FILE_BYTES / 1024 / 1024} MB)`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
