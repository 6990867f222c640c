// Content collections: MDX lessons from lessons/, their teacher's guides from guides/, and kata metadata from
// katas/*/kata.json, all schema-checked.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson.ts';
import { guideSchema } from './schemas/guide.ts';
import { kataMetaSchema } from './engine/kata/schema.ts';

const lessons = defineCollection({
  loader: glob({ base: './lessons', pattern: '**/*.mdx' }),
  schema: lessonSchema,
});

/** One teacher's guide per lesson, named after it (checked against the lessons in src/utils/guide-checks.ts). */
const guides = defineCollection({
  loader: glob({ base: './guides', pattern: '*.mdx' }),
  schema: guideSchema,
});

const katas = defineCollection({
  loader: glob({ base: './katas', pattern: '*/kata.json', generateId: ({ entry }) => entry.split('/')[0]! }),
  schema: kataMetaSchema,
});

/** Each kata's brief.md, rendered on its page. */
const briefs = defineCollection({
  loader: glob({ base: './katas', pattern: '*/brief.md', generateId: ({ entry }) => entry.split('/')[0]! }),
});

export const collections = { lessons, guides, katas, briefs };
