// Turns a class folder's entries into the gradings to run: one per learner and kata, in a fixed order.
import type { Files } from './hand-in.ts';
import type { Entry, Who } from './collect.ts';

/** One grading: a learner's files for one kata, or the reason there is nothing to run. */
export interface Unit {
  who: Who;
  kata: string | null;
  input: { kind: 'folder'; path: string } | { kind: 'files'; files: Files } | { kind: 'none'; status: 'error' | 'missing'; message: string };
}

/**
 * `only`: the kata named on the command line (a learner's folder holds one kata's files, so folders need it);
 * without it, every kata a hand-in has files for or marks solved. `katas` is this site's katas in course order.
 */
export function planGrading(entries: readonly Entry[], katas: readonly string[], only: string | undefined): Unit[] {
  const units: Unit[] = [];
  for (const entry of entries) {
    const who = { learner: entry.learner, source: entry.source };
    if (entry.kind === 'refused') units.push({ who, kata: only ?? null, input: { kind: 'none', status: 'error', message: entry.message } });
    else if (entry.kind === 'folder') {
      if (!only) throw new Error('a folder of learner folders is graded for one kata: planGrading needs `only`');
      units.push({ who, kata: only, input: { kind: 'folder', path: entry.path } });
    } else {
      const handed = Object.keys(entry.files).filter((kata) => Object.keys(entry.files[kata]!).length > 0);
      const wanted = only ? [only] : [...new Set([...handed, ...entry.solved])].sort((a, b) => order(katas, a) - order(katas, b) || (a < b ? -1 : 1));
      if (wanted.length === 0) {
        units.push({ who, kata: null, input: { kind: 'none', status: 'missing', message: `${entry.source}: holds no kata's files` } });
      }
      for (const kata of wanted) {
        const files = entry.files[kata];
        if (!katas.includes(kata)) {
          units.push({ who, kata, input: { kind: 'none', status: 'error', message: `no kata named "${kata}" on this site (katas: ${katas.join(', ')})` } });
        } else if (files && Object.keys(files).length > 0) units.push({ who, kata, input: { kind: 'files', files } });
        else {
          const claimed = entry.solved.includes(kata) ? 'marked solved, but ' : '';
          const has = handed.length > 0 ? ` (it has files for ${handed.join(', ')})` : '';
          units.push({ who, kata, input: { kind: 'none', status: 'missing', message: `${entry.source}: ${claimed}no files for ${kata}${has}` } });
        }
      }
    }
  }
  return units;
}

/** A kata's place in the course; unknown katas last. */
function order(katas: readonly string[], kata: string): number {
  const index = katas.indexOf(kata);
  return index === -1 ? katas.length : index;
}
