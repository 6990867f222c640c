// The frontmatter every lesson must have; a missing or wrong field fails the build, naming the file and field.
import { z } from 'astro/zod';

export const lessonSchema = z.strictObject({
  title: z.string().min(3),
  /** the concept of factor VI this lesson teaches (1–15, see the course map) */
  concept: z.union([z.number().int().min(1).max(15), z.literal('6b')]),
  /** position in the course */
  order: z.number().int().min(1),
  summary: z.string().min(20).max(300),
  /** slug of the paired kata (a folder under katas/) */
  kata: z.string().regex(/^[a-z0-9-]+$/),
  /** reading time in minutes */
  minutes: z.number().int().min(1).max(30),
  objectives: z.array(z.string().min(5)).min(1).max(6),
  /** one sentence on why the next concept of the course follows this one, shown at the lesson's end */
  next: z.string().min(20).max(300).optional(),
});

export type LessonData = z.infer<typeof lessonSchema>;
