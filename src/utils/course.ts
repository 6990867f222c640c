// The course as pages need it: lessons in order, their katas, and each lesson's neighbours.
import { getCollection, type CollectionEntry } from 'astro:content';
import { CURRICULUM, conceptRank as rank, followsInCourse, type ConceptId } from './curriculum.ts';

export type Lesson = CollectionEntry<'lessons'>;
export type KataEntry = CollectionEntry<'katas'>;

export async function getLessons(): Promise<Lesson[]> {
  const lessons = await getCollection('lessons');
  return lessons.sort((a, b) => a.data.order - b.data.order || rank(a.data.concept) - rank(b.data.concept));
}

export async function getKatas(): Promise<Map<string, KataEntry>> {
  return new Map((await getCollection('katas')).map((kata) => [kata.id, kata]));
}

export const lessonHref = (lesson: Lesson) => `/lessons/${lesson.id}/`;
export const kataHref = (slug: string) => `/katas/${slug}/`;

export function neighbours(lessons: readonly Lesson[], id: string): { previous?: Lesson; next?: Lesson } {
  const at = lessons.findIndex((lesson) => lesson.id === id);
  return { previous: at > 0 ? lessons[at - 1] : undefined, next: at >= 0 ? lessons[at + 1] : undefined };
}

/**
 * What a lesson's end offers: the next lesson, and why it follows (the lesson's `next` sentence). The sentence is
 * written about the next concept of the curriculum, so it is given only when the next lesson teaches that concept;
 * while the lesson in between is unwritten, the link stands alone.
 */
export function whatComesNext(lessons: readonly Lesson[], id: string): { lesson?: Lesson; why?: string } {
  const current = lessons.find((lesson) => lesson.id === id);
  const { next } = neighbours(lessons, id);
  if (!current || !next) return {};
  const follows = followsInCourse(current.data.concept, next.data.concept);
  return { lesson: next, ...(follows && current.data.next ? { why: current.data.next } : {}) };
}

export interface MapRow {
  concept: ConceptId;
  title: string;
  kataIdea: string;
  lesson?: Lesson;
  kata?: KataEntry;
  /** the lesson that teaches this concept along with its own */
  coveredBy?: Lesson;
}

/** Every concept of the curriculum, with its lesson and kata where they are written. */
export async function courseMap(): Promise<MapRow[]> {
  const lessons = await getLessons();
  const katas = await getKatas();
  return CURRICULUM.map((concept) => {
    const lesson = lessons.find((candidate) => candidate.data.concept === concept.number);
    const kata = lesson ? katas.get(lesson.data.kata) : undefined;
    const coveredBy = concept.coveredBy ? lessons.find((candidate) => candidate.data.concept === concept.coveredBy) : undefined;
    return { concept: concept.number, title: lesson?.data.title ?? concept.title, kataIdea: concept.kata, lesson, kata, coveredBy };
  });
}

/** Lessons must pair with a kata that exists: a wrong slug fails the build with the lesson named. */
export async function checkPairs(): Promise<void> {
  const katas = await getKatas();
  for (const lesson of await getLessons()) {
    if (!katas.has(lesson.data.kata)) {
      throw new Error(`lessons/${lesson.id}.mdx: kata: no kata named "${lesson.data.kata}" in katas/ (have: ${[...katas.keys()].join(', ')})`);
    }
  }
}
