// `npm run kata -- classroom <slug> --out <dir>`: writes a GitHub Classroom assignment template repository for a kata.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { KATAS_DIR, listKatas, loadKata } from '../../engine/kata/load-node.ts';
import { UsageError } from '../common.ts';
import { githubRepository, templateFiles, WORKFLOW_PATH } from './template.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
/** astro.config's address when SITE_URL is not set: the README's links then need --site-url to lead anywhere. */
const PLACEHOLDER_SITE = 'https://stateless-dojo.example';
/** The seed `verify` proves every kata with: the starter fails, the solution passes, each wrong variant fails its test. */
export const DEFAULT_SEED = 1;

export interface ClassroomOptions {
  slug: string | undefined;
  out: string | undefined;
  /** default: this checkout's `origin` remote */
  dojoRepo: string | undefined;
  /** default: this checkout's current commit */
  dojoRef: string | undefined;
  seed: number | undefined;
  /** default: SITE_URL, as the build takes it */
  siteUrl: string | undefined;
}

/** Exit code 0 once every file is written; every refusal is a UsageError (exit 2) and writes nothing. */
export async function classroom(options: ClassroomOptions): Promise<number> {
  const { slug } = options;
  if (!slug) throw new UsageError('which kata? e.g. npm run kata -- classroom visit-counter --out ../visit-counter-assignment');
  if (!options.out) throw new UsageError('--out <dir> is required: a new or empty folder to write the template repository into');
  const katas = await listKatas();
  if (!katas.includes(slug)) throw new UsageError(`no kata named "${slug}"; the katas are: ${katas.join(', ')}`);
  const out = resolve(options.out);
  await mustBeNewOrEmpty(out);
  const repository = options.dojoRepo ?? git(['remote', 'get-url', 'origin']);
  if (!repository) throw new UsageError('--dojo-repo <url> is required: this checkout has no "origin" remote to take it from (the workflow fetches the grader and the hidden tests from there)');
  if (!/^[^\s'"`$\\]+$/.test(repository)) throw new UsageError(`--dojo-repo: "${repository}" is not a repository URL`);
  const ref = options.dojoRef ?? git(['rev-parse', 'HEAD']);
  if (!ref) throw new UsageError('--dojo-ref <ref> is required: this checkout is not a git repository to take its commit from');
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref)) throw new UsageError(`--dojo-ref: "${ref}" is not a branch, tag or commit name`);
  const siteUrl = options.siteUrl ?? process.env.SITE_URL ?? PLACEHOLDER_SITE;
  if (!/^https?:\/\/[^\s]+$/.test(siteUrl)) throw new UsageError(`--site-url: "${siteUrl}" is not an http(s) address`);
  const seed = options.seed ?? DEFAULT_SEED;

  const kata = await loadKata(slug);
  const sampleTests = await readFile(join(KATAS_DIR, slug, 'tests/sample.ts'), 'utf8');
  const files = templateFiles({ kata, sampleTests, dojo: { repository, ref }, seed, siteUrl });
  for (const [path, text] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    await mkdir(dirname(join(out, path)), { recursive: true });
    await writeFile(join(out, path), text, { flag: 'wx' });
  }

  const notes: string[] = [];
  if (options.dojoRef === undefined && git(['status', '--porcelain', '--', 'katas', 'src', 'package.json', 'package-lock.json'])) {
    notes.push(`this checkout has uncommitted changes: the workflow grades with commit ${ref} as it is in ${repository}`);
  }
  if (options.dojoRef === undefined) notes.push(`push ${ref} to ${repository} before learners push: the workflow checks it out`);
  if (siteUrl === PLACEHOLDER_SITE) notes.push(`the README links to ${PLACEHOLDER_SITE}, a placeholder: give --site-url (or SITE_URL) for your site`);
  const checkout = githubRepository(repository) ? `actions/checkout of ${githubRepository(repository)}` : `git fetch from ${repository}`;
  console.log([
    `wrote ${Object.keys(files).length} files to ${out}`,
    `  ${WORKFLOW_PATH}: ${kata.hidden.length} hidden tests, 1 point each (${kata.hidden.length} in all), seed ${seed}`,
    `  grader: ${checkout} at ${ref}`,
    ...notes.map((note) => `note: ${note}`),
    'next: push it to GitHub, mark it a template repository, and make it the assignment\'s template in GitHub Classroom',
    '      (add no tests in the assignment\'s autograding form: Classroom would replace this workflow with its own)',
  ].join('\n'));
  return 0;
}

async function mustBeNewOrEmpty(out: string): Promise<void> {
  const info = await stat(out).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) throw new UsageError(`--out ${out} exists and is not a folder: give a new or empty folder`);
  if ((await readdir(out)).length > 0) throw new UsageError(`--out ${out} is not empty: give a new or empty folder (nothing was written)`);
}

/** A git answer about this checkout, or undefined when git, the repository or the answer is missing. */
function git(args: string[]): string | undefined {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
