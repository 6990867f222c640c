// Katas this browser has saved code for that differs from the starter: attempts made before the kata page kept an
// "attempted" mark (learner-marks.ts), read from the kata page's own store (src/workbench/save/work-store.ts).
import { filesFingerprint } from './files-fingerprint.ts';

type Files = Record<string, string>;

/**
 * `starters` maps each kata's slug to its starter's fingerprint; `load` returns a kata's saved files, or undefined.
 * A kata whose saved code cannot be read is left out: the course map then shows less progress, never a wrong one.
 */
export async function savedAttempts(starters: ReadonlyMap<string, string>, load: (slug: string) => Promise<Files | undefined>): Promise<Set<string>> {
  const attempted = new Set<string>();
  for (const [slug, starter] of starters) {
    try {
      const files = await load(slug);
      if (files && filesFingerprint(files) !== starter) attempted.add(slug);
    } catch {
      // unreadable: not counted
    }
  }
  return attempted;
}
