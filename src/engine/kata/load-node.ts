// Reads kata folders from disk (Node only): files, metadata and test modules.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { assembleKata, KataError, type Kata } from './kata.ts';
import { resolveTestingModuleEverywhere } from './testing-module.ts';

export const KATAS_DIR = resolve(import.meta.dirname, '../../../katas');

const TEXT_FILE = /\.(ts|js|json|md|txt|html|css)$/;

/** Every text file under a folder, by path relative to it. */
export async function readFolder(folder: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !TEXT_FILE.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    // A learner's folder may hold installed packages or tool folders: they are not the learner's code.
    if (relative(folder, full).split(/[\\/]/).some((part) => part === 'node_modules' || part.startsWith('.'))) continue;
    files[relative(folder, full).split('\\').join('/')] = await readFile(full, 'utf8');
  }
  return files;
}

/** The sub-folders of a folder, sorted: katas in katas/, learners in a class folder. */
export async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort();
}

export function listKatas(dir = KATAS_DIR): Promise<string[]> {
  return subfolders(dir);
}

export async function loadKata(slug: string, dir = KATAS_DIR): Promise<Kata> {
  const folder = join(dir, slug);
  if (!(await stat(folder).catch(() => null))?.isDirectory()) {
    throw new KataError(`no kata named "${slug}" (katas: ${(await listKatas(dir)).join(', ')})`);
  }
  const files = await readFolder(folder);
  resolveTestingModuleEverywhere(); // the tests import `dojo/testing`, wherever the kata folder is
  const load = async (file: string) => {
    if (!(file in files)) throw new KataError(`katas/${slug}/${file}: missing`);
    try {
      return await import(pathToFileURL(join(folder, file)).href);
    } catch (error) {
      throw new KataError(`katas/${slug}/${file}: cannot be loaded: ${(error as Error).message}`);
    }
  };
  return assembleKata({ slug, files, sample: await load('tests/sample.ts'), hidden: await load('tests/hidden.ts') });
}
