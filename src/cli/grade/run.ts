// Runs the gradings of a class: each in a sandboxed child of its own, N at once, results in the plan's order.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { gradeInSandbox, type Job, type Outcome, type Workspace } from '../sandbox.ts';
import { copyLearner, RefusedFile, writeHandedIn } from '../learner-copy.ts';
import { fromReport, withoutRun, type Verdict } from './verdict.ts';
import type { Unit } from './plan.ts';

export interface RunOptions {
  seed: number;
  /** how many sandboxed children at once */
  jobs: number;
  workspace: Workspace;
  /** a kata's number of hidden tests (the total of a learner whose code could not run) */
  hiddenTests: (kata: string) => number;
  /** told after each grading, in the order they end */
  progress?: (done: number, total: number) => void;
}

/** Grade every unit. The verdicts are in the units' order whatever `jobs` is: output never depends on scheduling. */
export async function gradeUnits(units: readonly Unit[], options: RunOptions): Promise<Verdict[]> {
  let done = 0;
  return inOrder(units, options.jobs, async (unit, index) => {
    const verdict = await gradeUnit(unit, index, options);
    options.progress?.(++done, units.length);
    return verdict;
  });
}

async function gradeUnit(unit: Unit, index: number, options: RunOptions): Promise<Verdict> {
  const hidden = unit.kata ? options.hiddenTests(unit.kata) : 0;
  if (unit.input.kind === 'none') return withoutRun(unit.who, unit.kata, unit.input.status, unit.input.message, hidden);
  const kata = unit.kata!;
  const input = unit.input;
  const fill = input.kind === 'folder' ? (dir: string) => copyLearner(input.path, dir) : (dir: string) => writeHandedIn(input.files, dir);
  const outcome = await gradeCopy(options.workspace, index, unit.who.source, fill, { slug: kata, seed: options.seed, sample: false, replay: null });
  return 'error' in outcome ? withoutRun(unit.who, kata, 'error', outcome.error, hidden) : fromReport(unit.who, kata, outcome.json, hidden);
}

/**
 * Put one learner's files into a fresh folder of the workspace with `fill` and grade that copy in a sandboxed child;
 * never throws. This process reads the hand-in (refusing links, devices, FIFOs, oversized files); learner code is
 * only ever given the copy, which is removed afterwards.
 */
export async function gradeCopy(workspace: Workspace, index: number, source: string, fill: (dir: string) => Promise<number>, job: Omit<Job, 'dir'>): Promise<Outcome> {
  const dir = join(workspace.root, `learner-${index}`);
  try {
    if ((await fill(dir)) === 0) return { error: `${source} has no .ts or .js files` };
    return await gradeInSandbox({ ...job, dir }, workspace);
  } catch (error) {
    return { error: error instanceof RefusedFile ? error.message : `cannot grade ${source}: ${(error as Error).message}` };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined); // a class's copies need not pile up
  }
}

/** `work` over `items`, at most `jobs` at a time, the results in the items' order. */
export async function inOrder<T, R>(items: readonly T[], jobs: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}
