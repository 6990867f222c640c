// A kata as the engine uses it, with kata.json checked against its zod schema (Node, the CLI, the build).
import { kataMetaSchema, describeIssues, type KataMeta } from './schema.ts';
import { assembleKataWith, KataError, type Kata, type RawKata } from './assemble.ts';

export * from './assemble.ts';

/** kata.json checked field by field; a problem throws a KataError naming the file and the field. */
export function parseKataMeta(json: unknown, file: string): KataMeta {
  const parsed = kataMetaSchema.safeParse(json);
  if (!parsed.success) throw new KataError(describeIssues(file, parsed.error));
  return parsed.data;
}

export function assembleKata(raw: RawKata): Kata {
  return assembleKataWith(raw, parseKataMeta);
}
