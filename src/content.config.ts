// Content collections: MDX lessons from lessons/ and kata metadata from katas/*/kata.json, both schema-checked.
import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson.ts';
import { kataMetaSchema } from './engine/kata/schema.ts';

const lessons = defineCollection({
  loader: glob({ base: './lessons', pattern: '**/*.mdx' }),
  schema: lessonSchema,
});

const katas = defineCollection({
  loader: glob({ base: './katas', pattern: '*/kata.json', generateId: ({ entry }) => entry.split('/')[0]! }),
  schema: kataMetaSchema,
});

/** Each kata's brief.md, rendered on its page. */
const briefs = defineCollection({
  loader: glob({ base: './katas', pattern: '*/brief.md', generateId: ({ entry }) => entry.split('/')[0]! }),
});

export const collections = { lessons, katas, briefs };
