// What this browser remembers of a learner's way through the course besides solved katas (progress-marks.ts):
// lessons read, katas attempted, and the last lesson or kata page visited. Corrupt or blocked storage reads as nothing.
import { safeStorage } from './progress-marks.ts';

const READ_KEY = 'dojo-read';
const ATTEMPTED_KEY = 'dojo-attempted';
const LAST_VISIT_KEY = 'dojo-last-visit';

type Reader = Pick<Storage, 'getItem'> | undefined;
type Writer = Pick<Storage, 'getItem' | 'setItem'> | undefined;

/** A page to come back to: only this site's lesson and kata pages qualify, so a tampered value cannot link elsewhere. */
export interface Visit {
  href: string;
  title: string;
}

const VISIT_HREF = /^\/(?:lessons|katas)\/[a-z0-9-]+\/$/;
const MAX_TITLE = 200;

function readSet(key: string, storage: Reader): Set<string> {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(key) ?? '[]');
    return new Set(Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Adds `item` to the set under `key`; false when it could not be stored (no storage, over quota). */
function addToSet(key: string, item: string, storage: Writer): boolean {
  if (!storage) return false;
  const items = readSet(key, storage);
  if (items.has(item)) return true; // written once: pages call this on every change
  items.add(item);
  try {
    storage.setItem(key, JSON.stringify([...items].sort()));
    return true;
  } catch {
    return false;
  }
}

/** Lessons (by id) the learner read to the end. */
export const readLessonsRead = (storage: Reader = safeStorage()): Set<string> => readSet(READ_KEY, storage);
export const markLessonRead = (lesson: string, storage: Writer = safeStorage()): boolean => addToSet(READ_KEY, lesson, storage);

/** Katas (by slug) whose code the learner changed or whose tests they ran. */
export const readAttempted = (storage: Reader = safeStorage()): Set<string> => readSet(ATTEMPTED_KEY, storage);
export const markAttempted = (kata: string, storage: Writer = safeStorage()): boolean => addToSet(ATTEMPTED_KEY, kata, storage);

export function isVisit(value: unknown): value is Visit {
  const visit = value as Partial<Visit> | null;
  return typeof visit === 'object' && visit !== null &&
    typeof visit.href === 'string' && VISIT_HREF.test(visit.href) &&
    typeof visit.title === 'string' && visit.title.trim().length > 0 && visit.title.length <= MAX_TITLE;
}

/** The last lesson or kata page visited, if this browser remembers a valid one. */
export function readLastVisit(storage: Reader = safeStorage()): Visit | undefined {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(LAST_VISIT_KEY) ?? 'null');
    return isVisit(parsed) ? { href: parsed.href, title: parsed.title } : undefined;
  } catch {
    return undefined;
  }
}

export function writeLastVisit(visit: Visit, storage: Pick<Storage, 'setItem'> | undefined = safeStorage()): boolean {
  if (!storage || !isVisit(visit)) return false;
  try {
    storage.setItem(LAST_VISIT_KEY, JSON.stringify({ href: visit.href, title: visit.title }));
    return true;
  } catch {
    return false;
  }
}
