// The grades as Markdown for a GitHub job summary ($GITHUB_STEP_SUMMARY): learner × kata, then what failed first.
import { learnerLabels, oneLine, tally, type Grades, type Verdict } from '../verdict.ts';

const MARK = { pass: '✅', fail: '❌', error: '⚠️', missing: '➖' } as const;

export function formatMarkdown(grades: Grades): string {
  const counts = tally(grades.verdicts);
  const bySource = new Map<string, Verdict[]>();
  for (const verdict of grades.verdicts) bySource.set(verdict.source, [...(bySource.get(verdict.source) ?? []), verdict]);
  const katas = grades.katas;
  const labels = learnerLabels(grades.verdicts);
  const lines = [
    `## Grades: ${katas.map(cell).join(', ') || 'no kata'}`,
    '',
    `Seed \`${grades.seed}\` for every learner · ${counts.pass} passed · ${counts.fail} failed · ${counts.error} could not be graded · ${counts.missing} not handed in`,
    '',
    `| Learner | ${katas.map(cell).join(' | ')} |`,
    `|---|${katas.map(() => '---|').join('')}`,
  ];
  for (const verdicts of bySource.values()) {
    const unreadable = verdicts.find((verdict) => verdict.kata === null);
    const cells = katas.map((kata) => {
      const verdict = verdicts.find((one) => one.kata === kata);
      if (unreadable) return `${MARK.error} unreadable`;
      if (!verdict || verdict.status === 'missing') return MARK.missing;
      return `${MARK[verdict.status]} ${verdict.passed}/${verdict.total}`;
    });
    lines.push(`| ${cell(labels.get(verdicts[0]!.source)!)} | ${cells.join(' | ')} |`);
  }
  const failed = grades.verdicts.filter((verdict) => verdict.failure && verdict.status !== 'missing');
  if (failed.length > 0) {
    lines.push('', '### What failed first', '', '| Learner | Kata | Test | Message |', '|---|---|---|---|');
    for (const verdict of failed) {
      lines.push(`| ${cell(labels.get(verdict.source)!)} | ${cell(verdict.kata ?? '—')} | ${cell(verdict.failure!.test ?? '—')} | ${cell(oneLine(verdict.failure!.message, 200))} |`);
    }
  }
  return lines.join('\n');
}

/** Text in a table cell: on one line, and never read as Markdown or HTML (a learner chooses their name). */
function cell(value: string): string {
  return oneLine(value, 200)
    .replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
    .replace(/[\\`*_[\]|#!~]/g, (char) => `\\${char}`);
}
