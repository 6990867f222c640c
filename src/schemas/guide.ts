// The frontmatter every teacher's guide (guides/<lesson>.mdx) must have; a missing or wrong field fails the build.
import { z } from 'astro/zod';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case words joined by hyphens');

/** One block of a session plan: how long, and what the class does. */
const block = z.strictObject({
  minutes: z.number().int().min(1).max(90),
  activity: z.string().min(5),
});

export const guideSchema = z.strictObject({
  /** the lesson this guide is for: the lesson file's name without .mdx */
  lesson: slug,
  /** what learners can do after the session */
  goals: z.array(z.string().min(10)).min(2).max(5),
  /** a 45-minute and a 90-minute session (the sums are checked with the lessons: src/utils/guide-checks.ts) */
  timing: z.strictObject({
    short: z.array(block).min(1),
    long: z.array(block).min(1),
  }),
  misconceptions: z
    .array(z.strictObject({
      /** what a learner believes, in their words */
      belief: z.string().min(10),
      /** a wrong variant of the lesson's kata (katas/<kata>/wrong/<name>) that shows this belief failing */
      variant: slug.optional(),
      /** how to answer it in class */
      response: z.string().min(10),
    }))
    .min(2)
    .max(6),
});

export type GuideData = z.infer<typeof guideSchema>;
