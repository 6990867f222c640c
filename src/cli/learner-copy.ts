// Copies a learner's hand-in (a folder, or a hand-in file's files) into a fresh folder the grader controls: regular
// files only, of bounded size, never written outside that folder.
import { constants, type Dirent } from 'node:fs';
import { mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { MAX_FILE_BYTES, MAX_LEARNER_BYTES, TEXT_FILE } from './limits.ts';

export { MAX_FILE_BYTES, MAX_LEARNER_BYTES };

/** A hand-in the grader will not take; the message names the file, relative to the learner's folder. */
export class RefusedFile extends Error {}

/**
 * Copy `source` into `target` (which must not exist yet). Throws RefusedFile for a symbolic link, device, FIFO or
 * socket anywhere in the hand-in (a link could point the grader at /etc/passwd or at another learner's folder; a FIFO
 * would block the read) and for a file over 1 MB or a hand-in over 5 MB; tool folders (dot-folders, node_modules)
 * are skipped, as the engine skips them. Returns the number of files copied.
 */
export async function copyLearner(source: string, target: string): Promise<number> {
  let total = 0;
  let copied = 0;
  await mkdir(target, { recursive: false });
  const walk = async (folder: string): Promise<void> => {
    const entries: Dirent[] = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(folder, entry.name);
      const name = relative(source, full).split('\\').join('/');
      // Dirent types come from lstat: a link is a link here, never what it points at.
      if (entry.isDirectory()) await walk(full);
      else if (!entry.isFile()) throw new RefusedFile(`${name}: refused, ${kind(entry)} (hand in regular files only)`);
      else if (TEXT_FILE.test(entry.name)) {
        const bytes = await readRegular(full, name);
        total += bytes.length;
        if (total > MAX_LEARNER_BYTES) throw new RefusedFile(`${name}: refused, the hand-in is over ${MAX_LEARNER_BYTES / 1024 / 1024} MB in all`);
        await mkdir(dirname(join(target, name)), { recursive: true });
        await writeFile(join(target, name), bytes, { flag: 'wx' });
        copied += 1;
      }
    }
  };
  await walk(source);
  return copied;
}

/**
 * Write a hand-in file's files for one kata (already checked by parseHandIn: names, count, sizes) into `target`,
 * which must not exist yet. Checks again that every path lands inside `target`: a name that slipped past the parser
 * is refused, not written elsewhere. Returns the number of files written.
 */
export async function writeHandedIn(files: Readonly<Record<string, string>>, target: string): Promise<number> {
  await mkdir(target, { recursive: false });
  const root = resolve(target);
  let written = 0;
  for (const [name, text] of Object.entries(files)) {
    const path = resolve(root, name);
    if (!path.startsWith(root + sep) || name.includes('\\')) throw new RefusedFile(`${name}: refused, a file name outside the hand-in's folder`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text, { flag: 'wx' });
    written += 1;
  }
  return written;
}

/** Read a file that must still be a regular file when opened (O_NOFOLLOW: not swapped for a link since the listing). */
async function readRegular(path: string, name: string): Promise<Buffer> {
  // O_NONBLOCK: opening a FIFO put in its place must not hang the grader.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new RefusedFile(`${name}: refused, a symbolic link (hand in regular files only)`);
    throw error;
  });
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new RefusedFile(`${name}: refused, not a regular file (hand in regular files only)`);
    if (info.size > MAX_FILE_BYTES) throw new RefusedFile(`${name}: refused, ${info.size} bytes (files are limited to ${MAX_FILE_BYTES / 1024 / 1024} MB)`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function kind(entry: Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'a device';
  return 'not a regular file';
}
