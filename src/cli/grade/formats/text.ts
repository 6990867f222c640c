// The table an instructor reads in the terminal: one line per learner and kata, with the first failure, short.
import { learnerLabels, oneLine, tally, type Grades } from '../verdict.ts';

const RESULT = { pass: 'pass', fail: 'FAIL', error: 'ERROR', missing: 'missing' } as const;
const MESSAGE_WIDTH = 140;

export function formatText(grades: Grades): string {
  const learners = new Set(grades.verdicts.map((verdict) => verdict.source)).size;
  const lines = [`${grades.katas.join(', ') || 'no kata'}: ${learners} ${learners === 1 ? 'learner' : 'learners'}, seed ${grades.seed}`];
  const labels = learnerLabels(grades.verdicts);
  const rows = grades.verdicts.map((verdict) => [
    oneLine(labels.get(verdict.source)!, 64),
    verdict.kata ?? '—',
    RESULT[verdict.status],
    verdict.status === 'missing' || verdict.kata === null ? '—' : `${verdict.passed}/${verdict.total}`,
    verdict.failure ? oneLine(verdict.failure.test ? `${verdict.failure.test}: ${verdict.failure.message}` : verdict.failure.message, MESSAGE_WIDTH) : '',
  ]);
  const header = ['learner', 'kata', 'result', 'tests', 'first failure'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => `  ${cells.map((cell, column) => (column === 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd();
  lines.push('', line(header), ...rows.map(line));
  const counts = tally(grades.verdicts);
  lines.push('', `${counts.pass} passed, ${counts.fail} failed, ${counts.error} could not be graded, ${counts.missing} not handed in (seed ${grades.seed} for everyone)`);
  if (counts.fail + counts.error > 0) lines.push(`the whole story of one: npm run kata -- test <kata> --hand-in <file> (or --dir <folder>) --seed ${grades.seed}`);
  return lines.join('\n');
}
