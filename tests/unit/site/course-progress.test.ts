// A learner's way through the course: the marks this browser keeps, each concept's state, the count and the continue link.
import { describe, expect, it } from 'vitest';
import { isVisit, markAttempted, markLessonRead, readAttempted, readLastVisit, readLessonsRead, writeLastVisit } from '../../../src/utils/learner-marks.ts';
import { readSolved } from '../../../src/utils/progress-marks.ts';
import { conceptState, continueLink, courseProgress, progressText, type Marks, type ProgressRow } from '../../../src/utils/course-progress.ts';
import { CURRICULUM, followsInCourse } from '../../../src/utils/curriculum.ts';
import { filesFingerprint } from '../../../src/utils/files-fingerprint.ts';
import { savedAttempts } from '../../../src/utils/saved-attempts.ts';
import { lessonSchema } from '../../../src/schemas/lesson.ts';

/** A localStorage stand-in: a Map, or one that throws like a blocked or full storage. */
function memoryStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial));
  return {
    get length() { return items.size; },
    clear: () => items.clear(),
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, String(value)),
    removeItem: (key: string) => void items.delete(key),
  };
}
const throwing: Storage = {
  ...memoryStorage(),
  getItem: () => { throw new DOMException('blocked', 'SecurityError'); },
  setItem: () => { throw new DOMException('full', 'QuotaExceededError'); },
};

const none: Marks = { solved: new Set(), attempted: new Set(), read: new Set() };
const rows: ProgressRow[] = CURRICULUM.map((concept) => ({ concept: concept.number }));
rows[0] = { concept: 1, lesson: 'one-or-more-processes', kata: 'visit-counter' };
rows[1] = { concept: 2, lesson: 'share-nothing', kata: 'rate-limiter' };
rows[2] = { concept: 3, lesson: 'a-database', kata: 'notes' };

describe('the marks this browser keeps', () => {
  it('remembers lessons read and katas attempted, each once, in order', () => {
    const storage = memoryStorage();
    expect(markLessonRead('share-nothing', storage)).toBe(true);
    expect(markLessonRead('a-database', storage)).toBe(true);
    expect(markLessonRead('share-nothing', storage)).toBe(true);
    expect([...readLessonsRead(storage)]).toEqual(['a-database', 'share-nothing']);
    expect(markAttempted('notes', storage)).toBe(true);
    expect([...readAttempted(storage)]).toEqual(['notes']);
    expect(readLessonsRead(storage).has('notes')).toBe(false);
  });

  it('remembers the last lesson or kata page visited, and the newest visit wins', () => {
    const storage = memoryStorage();
    expect(readLastVisit(storage)).toBeUndefined();
    writeLastVisit({ href: '/lessons/share-nothing/', title: 'Share nothing between processes' }, storage);
    writeLastVisit({ href: '/katas/notes/', title: 'Kata: Notes' }, storage);
    expect(readLastVisit(storage)).toEqual({ href: '/katas/notes/', title: 'Kata: Notes' });
  });

  it('reads corrupt or wrongly shaped values as nothing, and overwrites them on the next mark', () => {
    const storage = memoryStorage({ 'dojo-read': '{not json', 'dojo-attempted': '"notes"', 'dojo-solved': '[1, null, "notes"]', 'dojo-last-visit': '[]' });
    expect(readLessonsRead(storage).size).toBe(0);
    expect(readAttempted(storage).size).toBe(0);
    expect([...readSolved(storage)]).toEqual(['notes']);
    expect(readLastVisit(storage)).toBeUndefined();
    markLessonRead('a-database', storage);
    expect([...readLessonsRead(storage)]).toEqual(['a-database']);
  });

  it('never offers a link that leaves the lessons and katas of this site', () => {
    for (const href of ['https://evil.example/', '//evil.example/lessons/x/', 'javascript:alert(1)', '/lessons/../admin/', '/search/', '/lessons/x']) {
      const storage = memoryStorage({ 'dojo-last-visit': JSON.stringify({ href, title: 'A lesson' }) });
      expect(readLastVisit(storage), href).toBeUndefined();
      expect(writeLastVisit({ href, title: 'A lesson' }, memoryStorage()), href).toBe(false);
    }
    expect(isVisit({ href: '/lessons/a/', title: '' })).toBe(false);
    expect(isVisit({ href: '/lessons/a/', title: 'x'.repeat(201) })).toBe(false);
  });

  it('works as if nothing were marked when storage is missing, blocked or full', () => {
    for (const storage of [undefined, throwing]) {
      expect(readLessonsRead(storage).size).toBe(0);
      expect(readAttempted(storage).size).toBe(0);
      expect(readSolved(storage).size).toBe(0);
      expect(readLastVisit(storage)).toBeUndefined();
      expect(markLessonRead('a-database', storage)).toBe(false);
      expect(markAttempted('notes', storage)).toBe(false);
      expect(writeLastVisit({ href: '/katas/notes/', title: 'Kata: Notes' }, storage)).toBe(false);
    }
  });
});

describe("each concept's state", () => {
  it('is the furthest step taken: solved over attempted over read over not started', () => {
    const row = rows[0]!;
    expect(conceptState(row, none)).toBe('not-started');
    expect(conceptState(row, { ...none, read: new Set(['one-or-more-processes']) })).toBe('read');
    expect(conceptState(row, { ...none, read: new Set(['one-or-more-processes']), attempted: new Set(['visit-counter']) })).toBe('attempted');
    expect(conceptState(row, { solved: new Set(['visit-counter']), attempted: new Set(['visit-counter']), read: new Set() })).toBe('solved');
  });

  it('is "coming" for a concept whose kata is not written yet, whatever the marks say', () => {
    expect(conceptState({ concept: 15 }, { solved: new Set(['x']), attempted: new Set(['x']), read: new Set(['x']) })).toBe('coming');
  });

  it('does not count another kata’s or lesson’s marks', () => {
    expect(conceptState(rows[0]!, { solved: new Set(['notes']), attempted: new Set(['rate-limiter']), read: new Set(['share-nothing']) })).toBe('not-started');
  });
});

describe('the count and the continue link', () => {
  it('counts solved concepts out of the fifteen, coming ones included in the total', () => {
    expect(progressText(courseProgress(rows, none))).toBe('0 of 15 solved');
    const progress = courseProgress(rows, { ...none, solved: new Set(['visit-counter', 'notes', 'not-a-kata']) });
    expect(progressText(progress)).toBe('2 of 15 solved');
    expect(progress.states.slice(0, 4)).toEqual(['solved', 'not-started', 'solved', 'coming']);
  });

  it('counts 6b on the map but not as a sixteenth concept', () => {
    const withSixB = rows.map((row) => (row.concept === '6b' ? { concept: '6b' as const, lesson: 'direct', kata: 'direct-upload' } : row));
    const progress = courseProgress(withSixB, { ...none, solved: new Set(['direct-upload']) });
    expect(progress.states[rows.findIndex((row) => row.concept === '6b')]).toBe('solved');
    expect(progress).toMatchObject({ solved: 0, total: 15 });
  });

  it('sends a newcomer to the first lesson and a returning learner back where they left off', () => {
    const first = { href: '/lessons/one-or-more-processes/', title: 'Any process can serve any request' };
    expect(continueLink(undefined, first)).toEqual({ href: first.href, text: 'Start with lesson 1: Any process can serve any request' });
    expect(continueLink({ href: '/katas/notes/', title: 'Kata: Notes' }, first)).toEqual({ href: '/katas/notes/', text: 'Continue where you left off: Kata: Notes' });
  });
});

describe('attempts found in saved code', () => {
  const starter = { 'app.ts': 'let visits = 0;\n', 'lib.ts': 'export {};\n' };

  it('fingerprints the same files the same way whatever their order, and different files differently', () => {
    expect(filesFingerprint({ 'lib.ts': 'export {};\n', 'app.ts': 'let visits = 0;\n' })).toBe(filesFingerprint(starter));
    expect(filesFingerprint({ ...starter, 'app.ts': 'let visits = 1;\n' })).not.toBe(filesFingerprint(starter));
    expect(filesFingerprint({ 'app.ts': 'a', 'b.ts': '' })).not.toBe(filesFingerprint({ 'app.tsa': '', 'b.ts': '' }));
  });

  it('counts a kata whose saved code differs from its starter, not one saved as the starter, unsaved or unreadable', async () => {
    const starters = new Map([['changed', filesFingerprint(starter)], ['same', filesFingerprint(starter)], ['none', filesFingerprint(starter)], ['broken', filesFingerprint(starter)]]);
    const saved: Record<string, Record<string, string> | undefined> = { changed: { ...starter, 'app.ts': 'mine' }, same: { ...starter } };
    const found = await savedAttempts(starters, async (slug) => {
      if (slug === 'broken') throw new Error('IndexedDB went away');
      return saved[slug];
    });
    expect([...found]).toEqual(['changed']);
  });
});

describe("a lesson's `next` sentence", () => {
  const lesson = { title: 'A lesson', concept: 1, order: 1, summary: 'A summary long enough to pass the schema check.', kata: 'visit-counter', minutes: 5, objectives: ['You will be able to test schemas'] };

  it('is optional, so lessons written without it still build', () => {
    expect(lessonSchema.safeParse(lesson).success).toBe(true);
    expect(lessonSchema.safeParse({ ...lesson, next: 'Once any process may answer, the next question is what they may share.' }).success).toBe(true);
  });

  it('is shown only when the next lesson teaches the very next concept (6b comes between 6 and 7)', () => {
    expect(followsInCourse(1, 2)).toBe(true);
    expect(followsInCourse(6, '6b')).toBe(true);
    expect(followsInCourse('6b', 7)).toBe(true);
    expect(followsInCourse(6, 7)).toBe(false); // 6b unwritten: the sentence about it would mislead
    expect(followsInCourse(2, 1)).toBe(false);
    expect(followsInCourse(15, 1)).toBe(false);
  });

  it('is one sentence, neither empty nor a page long', () => {
    expect(lessonSchema.safeParse({ ...lesson, next: 'Next.' }).success).toBe(false);
    expect(lessonSchema.safeParse({ ...lesson, next: 'x'.repeat(301) }).success).toBe(false);
  });
});
