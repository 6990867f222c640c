// How far a learner is through the course, from the marks this browser keeps: each concept's state, the count of
// solved concepts, and where to continue. Pure, so the home page's script and its tests share one definition.
import type { ConceptId } from './curriculum.ts';
import type { Visit } from './learner-marks.ts';

/**
 * A concept's state on the course map, from the furthest step taken:
 * - solved: every hidden test of its kata passed once in this browser;
 * - attempted: its kata's code was changed from the starter, or its tests were run;
 * - read: its lesson was scrolled to the end (where "What comes next" is);
 * - not-started: none of these; coming: it has no kata yet.
 */
export type ConceptState = 'coming' | 'not-started' | 'read' | 'attempted' | 'solved';

export const STATE_LABEL: Readonly<Record<ConceptState, string>> = {
  coming: 'Coming',
  'not-started': 'Not started',
  read: 'Read',
  attempted: 'Attempted',
  solved: 'Solved',
};

/** One row of the course map as the home page renders it. */
export interface ProgressRow {
  concept: ConceptId;
  /** the lesson's id, when it is written */
  lesson?: string;
  /** the kata's slug, when it is written */
  kata?: string;
}

export interface Marks {
  solved: ReadonlySet<string>;
  attempted: ReadonlySet<string>;
  read: ReadonlySet<string>;
}

export function conceptState(row: ProgressRow, marks: Marks): ConceptState {
  if (!row.kata) return 'coming';
  if (marks.solved.has(row.kata)) return 'solved';
  if (marks.attempted.has(row.kata)) return 'attempted';
  if (row.lesson && marks.read.has(row.lesson)) return 'read';
  return 'not-started';
}

/**
 * The concepts "N of 15" counts: PRODUCT.md's fifteen numbered concepts. 6b is a further step of concept 6 with a
 * state of its own on the map, not a sixteenth concept.
 */
export const countsInTotal = (concept: ConceptId): boolean => typeof concept === 'number';

export interface CourseProgress {
  states: ConceptState[];
  solved: number;
  total: number;
}

export function courseProgress(rows: readonly ProgressRow[], marks: Marks): CourseProgress {
  const states = rows.map((row) => conceptState(row, marks));
  const counted = rows.map((row, i) => ({ row, state: states[i]! })).filter(({ row }) => countsInTotal(row.concept));
  return { states, solved: counted.filter(({ state }) => state === 'solved').length, total: counted.length };
}

/** "0 of 15 solved". */
export const progressText = ({ solved, total }: Pick<CourseProgress, 'solved' | 'total'>): string => `${solved} of ${total} solved`;

/** Where the home page's main link goes: back to the last lesson or kata visited, else the first lesson. */
export function continueLink(last: Visit | undefined, first: Visit): { href: string; text: string } {
  return last
    ? { href: last.href, text: `Continue where you left off: ${last.title}` }
    : { href: first.href, text: `Start with lesson 1: ${first.title}` };
}
