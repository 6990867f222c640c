// `npm run kata -- grade [slug] --class <dir>`: grades a class's hand-ins, every learner with the same seed.
import { conceptRank } from '../../utils/curriculum.ts';
import { listKatas, loadKata } from '../../engine/kata/load-node.ts';
import type { Kata } from '../../engine/kata/kata.ts';
import { prepareWorkspace } from '../sandbox.ts';
import { emit, UsageError } from '../common.ts';
import { readClassFolder } from './collect.ts';
import { planGrading } from './plan.ts';
import { gradeUnits } from './run.ts';
import { FORMATS, type FormatName } from './formats/index.ts';
import type { Grades } from './verdict.ts';

export interface GradeOptions {
  /** one kata, or (undefined) every kata each hand-in holds */
  slug: string | undefined;
  classDir: string;
  seed: number;
  format: FormatName;
  out: string | undefined;
  jobs: number;
}

/** Exit code: 0 when every learner passed every kata graded, 1 otherwise. */
export async function grade(options: GradeOptions): Promise<number> {
  const grades = await gradeClass(options);
  await emit(FORMATS[options.format](grades), options.out);
  return grades.verdicts.length > 0 && grades.verdicts.every((verdict) => verdict.status === 'pass') ? 0 : 1;
}

export async function gradeClass({ slug, classDir, seed, jobs }: Omit<GradeOptions, 'format' | 'out'>): Promise<Grades> {
  if (slug) await loadKata(slug); // an unknown or broken kata stops here, before any learner is graded
  const katas = await courseKatas();
  const { entries, skipped } = await readClassFolder(classDir).catch(() => {
    throw new UsageError(`cannot read ${classDir}`);
  });
  for (const note of skipped) process.stderr.write(`passed over ${note}\n`);
  if (entries.length === 0) throw new UsageError(`${classDir} holds no hand-in files (.json) and no learner folders`);
  if (!slug && entries.some((entry) => entry.kind === 'folder')) {
    throw new UsageError(`${classDir} holds learner folders, each one kata's files: name the kata, e.g. grade visit-counter --class ${classDir}`);
  }
  const order = katas.map((kata) => kata.slug);
  const units = planGrading(entries, order, slug);
  const hidden = new Map(katas.map((kata) => [kata.slug, kata.hidden.length]));
  const verdicts = await gradeUnits(units, {
    seed,
    jobs,
    workspace: await prepareWorkspace(),
    hiddenTests: (kata) => hidden.get(kata) ?? 0,
    progress: process.stderr.isTTY ? (done, total) => process.stderr.write(`\rgraded ${done} of ${total}${done === total ? '\n' : ''}`) : undefined,
  });
  const graded = new Set(verdicts.map((verdict) => verdict.kata));
  return { seed, katas: slug ? [slug] : order.filter((kata) => graded.has(kata)), verdicts };
}

/** This site's katas in course order (by concept, then name). */
async function courseKatas(): Promise<Kata[]> {
  const katas = await Promise.all((await listKatas()).map((slug) => loadKata(slug)));
  return katas.sort((a, b) => conceptRank(a.meta.concept) - conceptRank(b.meta.concept) || (a.slug < b.slug ? -1 : 1));
}
