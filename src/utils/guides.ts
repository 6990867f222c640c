// The teacher's guides as pages need them: checked against the lessons and katas, in course order, with variant code.
import { getCollection, type CollectionEntry } from 'astro:content';
import { getKatas, getLessons, type Lesson } from './course.ts';
import { assertGuides } from './guide-checks.ts';

export type Guide = CollectionEntry<'guides'>;

/** Every wrong variant's source, bundled as text at build time: `/katas/<kata>/wrong/<name>/<file>` → code. */
const wrongFiles = import.meta.glob<string>('/katas/*/wrong/*/**/*.{ts,js}', { query: '?raw', import: 'default', eager: true });

/** kata slug → the names of the folders under katas/<kata>/wrong/. */
function wrongVariants(): Map<string, string[]> {
  const variants = new Map<string, string[]>();
  for (const path of Object.keys(wrongFiles)) {
    const [, , kata, , name] = path.split('/');
    const names = variants.get(kata!) ?? [];
    if (!names.includes(name!)) names.push(name!);
    variants.set(kata!, names);
  }
  return variants;
}

/** The files of one wrong variant, by path inside its folder (e.g. `app.ts`). */
export function wrongVariantFiles(kata: string, name: string): { path: string; code: string }[] {
  const prefix = `/katas/${kata}/wrong/${name}/`;
  return Object.entries(wrongFiles)
    .filter(([path]) => path.startsWith(prefix))
    .map(([path, code]) => ({ path: path.slice(prefix.length), code }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

export interface LessonGuide {
  lesson: Lesson;
  guide: Guide;
}

/**
 * Each lesson with its guide, in course order. A lesson without a guide, a guide for no lesson, a variant its kata
 * doesn't have, or a session plan that doesn't add up stops the build here, naming the file and the lesson.
 */
export async function lessonGuides(): Promise<LessonGuide[]> {
  const lessons = await getLessons();
  const guides = await getCollection('guides');
  assertGuides(
    guides.map((guide) => ({ id: guide.id, data: guide.data, body: guide.body ?? '' })),
    { lessons: new Map(lessons.map((lesson) => [lesson.id, lesson.data.kata])), wrongVariants: wrongVariants() },
  );
  return lessons.map((lesson) => ({ lesson, guide: guides.find((guide) => guide.data.lesson === lesson.id)! }));
}

/** Each kata's wrong variants as kata.json describes them: name → the test it fails and why. */
export async function wrongVariantNotes(kata: string): Promise<Map<string, { mustFail: string; why: string }>> {
  const entry = (await getKatas()).get(kata);
  return new Map((entry?.data.wrong ?? []).map((wrong) => [wrong.name, { mustFail: wrong.mustFail, why: wrong.why }]));
}

export const guideHref = (lessonId: string) => `/teach/${lessonId}/`;
