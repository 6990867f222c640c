// The output formats of `grade`, by name: each a pure function of the grades.
import type { Grades } from '../verdict.ts';
import { formatCsv } from './csv.ts';
import { formatJson } from './json.ts';
import { formatJunit } from './junit.ts';
import { formatMarkdown } from './markdown.ts';
import { formatText } from './text.ts';

export const FORMATS = { text: formatText, json: formatJson, csv: formatCsv, junit: formatJunit, markdown: formatMarkdown } as const satisfies Record<string, (grades: Grades) => string>;

export type FormatName = keyof typeof FORMATS;

export function isFormat(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
