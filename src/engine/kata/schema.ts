// The shape of a kata's kata.json, validated so a malformed kata fails with its file and field named.
import { z } from 'zod';

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lower-case words joined by hyphens');
const codeFile = z.string().regex(/^[\w./-]+\.(ts|js)$/, 'a relative .ts or .js file name');

export const kataMetaSchema = z.strictObject({
  title: z.string().min(3),
  /** a row of the course map (src/utils/curriculum.ts): 1 to 15, or "6b" */
  concept: z.union([z.number().int().min(1).max(15), z.literal('6b')]),
  lesson: slug,
  summary: z.string().min(10),
  difficulty: z.enum(['intro', 'easy', 'medium', 'hard']),
  minutes: z.number().int().positive().max(120),
  processes: z
    .record(z.string().regex(/^[a-z]+$/, 'a process type is a lower-case word'), codeFile)
    .refine((types) => 'web' in types, 'needs a "web" process type (the one the balancer sends requests to)'),
  build: codeFile.optional(),
  vars: z.record(z.string(), z.string()).optional(),
  /**
   * What the platform's scheduler runs (Heroku Scheduler, a Kubernetes CronJob): at every multiple of `everyMs` of
   * the test's clock, a job added to `queue`, declared by no process; a worker process's `queue(job, env)` does it.
   */
  schedules: z
    .array(z.strictObject({
      name: slug,
      queue: z.string().min(1).max(200),
      everyMs: z.number().int().min(60_000, 'at least a minute (60000 ms), as cron'),
      data: z.json().optional(),
    }))
    .optional(),
  hints: z.array(z.string().min(5)).min(1),
  wrong: z
    .array(z.strictObject({ name: slug, mustFail: z.string().min(3), why: z.string().min(5) }))
    .min(1, 'list at least one known-wrong variant: they prove the tests bite'),
  alternatives: z.array(slug).default([]),
});

export type KataMeta = z.infer<typeof kataMetaSchema>;

/** "kata.json: wrong.0.mustFail: expected string" — one line per problem. */
export function describeIssues(file: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => `${file}: ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
