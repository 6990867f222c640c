// Marks the katas a learner has solved on pages that list katas (course map, lessons), from saved progress.
const SOLVED_KEY = 'dojo-solved';

/** Slugs of solved katas; unreadable or corrupt storage counts as nothing solved. */
export function readSolved(storage: Pick<Storage, 'getItem'> | undefined = safeStorage()): Set<string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(SOLVED_KEY) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((slug): slug is string => typeof slug === 'string') : []);
  } catch {
    return new Set();
  }
}

export function writeSolved(slugs: Iterable<string>, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): boolean {
  try {
    storage?.setItem(SOLVED_KEY, JSON.stringify([...new Set(slugs)].sort()));
    return storage !== undefined;
  } catch {
    return false;
  }
}

/** This browser's localStorage, or undefined where reading it throws (storage blocked, sandboxed frames). */
export function safeStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

export async function markSolvedKatas(root: ParentNode): Promise<void> {
  const solved = readSolved();
  for (const link of root.querySelectorAll<HTMLElement>('[data-kata]')) {
    const mark = link.querySelector<HTMLElement>('[data-solved-mark]');
    if (mark) mark.hidden = !solved.has(link.dataset.kata ?? '');
  }
}
