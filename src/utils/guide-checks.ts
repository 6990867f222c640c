// Checks the teacher's guides against the lessons and katas: one guide per lesson, real wrong variants, whole sessions.
import type { GuideData } from '../schemas/guide.ts';

/** The minutes a 45-minute and a 90-minute session must add up to. */
export const SESSION_MINUTES = { short: 45, long: 90 } as const;

/** The body's sections, in this order and no others. */
export const GUIDE_SECTIONS = ['Discussion questions', 'Live demo', 'Grading: what to look for'] as const;

export interface GuideInput {
  /** the file's name without .mdx */
  id: string;
  data: GuideData;
  /** the MDX body, for its `## ` headings */
  body: string;
}

export interface CourseInput {
  /** lesson id → the slug of its kata */
  lessons: ReadonlyMap<string, string>;
  /** kata slug → the names of its wrong variants (folders under katas/<kata>/wrong/) */
  wrongVariants: ReadonlyMap<string, readonly string[]>;
}

/** The level-2 headings of a Markdown body, outside fenced code. */
export function sectionsOf(body: string): string[] {
  const sections: string[] = [];
  let fenced = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced) {
      const heading = /^##\s+(.+?)\s*#*\s*$/.exec(line);
      if (heading) sections.push(heading[1]!);
    }
  }
  return sections;
}

/** Every problem found, one line each, naming the file (and the lesson); empty when the guides are right. */
export function guideProblems(guides: readonly GuideInput[], course: CourseInput): string[] {
  const problems: string[] = [];
  const byLesson = new Map(guides.map((guide) => [guide.data.lesson, guide]));
  for (const lesson of [...course.lessons.keys()].sort()) {
    if (!byLesson.has(lesson)) problems.push(`lessons/${lesson}.mdx: lesson "${lesson}" has no teacher's guide: write guides/${lesson}.mdx`);
  }
  for (const guide of guides) {
    const file = `guides/${guide.id}.mdx`;
    const { lesson } = guide.data;
    if (guide.id !== lesson) problems.push(`${file}: lesson: "${lesson}", but a guide's file is named after its lesson (guides/${lesson}.mdx)`);
    const kata = course.lessons.get(lesson);
    if (kata === undefined) {
      problems.push(`${file}: lesson: no lesson named "${lesson}" in lessons/ (have: ${[...course.lessons.keys()].sort().join(', ')})`);
    } else {
      const variants = course.wrongVariants.get(kata) ?? [];
      guide.data.misconceptions.forEach((misconception, at) => {
        const { variant } = misconception;
        if (variant !== undefined && !variants.includes(variant)) {
          problems.push(`${file}: misconceptions.${at}.variant: lesson "${lesson}": katas/${kata}/wrong/${variant} does not exist (its kata's wrong variants: ${[...variants].sort().join(', ') || 'none'})`);
        }
      });
    }
    for (const length of ['short', 'long'] as const) {
      const total = guide.data.timing[length].reduce((sum, block) => sum + block.minutes, 0);
      if (total !== SESSION_MINUTES[length]) {
        problems.push(`${file}: timing.${length}: lesson "${lesson}": the minutes add up to ${total}, not ${SESSION_MINUTES[length]}`);
      }
    }
    const sections = sectionsOf(guide.body);
    if (sections.join('\n') !== GUIDE_SECTIONS.join('\n')) {
      problems.push(`${file}: lesson "${lesson}": the body's sections are ${sections.map((name) => `"${name}"`).join(', ') || 'none'}; a guide has exactly ${GUIDE_SECTIONS.map((name) => `"## ${name}"`).join(', ')}, in this order`);
    }
  }
  return problems;
}

/** Throws, listing every problem, so the build stops and says what to fix. */
export function assertGuides(guides: readonly GuideInput[], course: CourseInput): void {
  const problems = guideProblems(guides, course);
  if (problems.length > 0) throw new Error(`Teacher's guides:\n${problems.join('\n')}`);
}
