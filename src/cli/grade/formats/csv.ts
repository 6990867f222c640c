// The grades as CSV (RFC 4180: CRLF lines, fields with a comma, quote or line break quoted, quotes doubled) for a spreadsheet.
import type { Grades } from '../verdict.ts';

export const CSV_COLUMNS = ['seed', 'learner', 'source', 'kata', 'status', 'passed', 'total', 'failed_test', 'message'] as const;

export function formatCsv(grades: Grades): string {
  const rows = grades.verdicts.map((verdict) => [
    String(grades.seed), verdict.learner, verdict.source, verdict.kata ?? '', verdict.status,
    String(verdict.passed), String(verdict.total), verdict.failure?.test ?? '', verdict.failure?.message ?? '',
  ]);
  // The last line ends with CRLF too: RFC 4180 allows it, and `cat a.csv b.csv` stays well-formed.
  return [[...CSV_COLUMNS], ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
