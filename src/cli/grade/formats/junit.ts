// The grades as JUnit XML, which CI systems show as test results: one <testsuite> per learner and kata.
import { learnerLabels, type Grades, type Verdict } from '../verdict.ts';

export function formatJunit(grades: Grades): string {
  const tests = grades.verdicts.reduce((sum, verdict) => sum + cases(verdict).length, 0);
  const failures = grades.verdicts.reduce((sum, verdict) => sum + cases(verdict).filter((one) => one.kind === 'failure').length, 0);
  const errors = grades.verdicts.reduce((sum, verdict) => sum + cases(verdict).filter((one) => one.kind === 'error').length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(`Stateless Dojo grades, seed ${grades.seed}`)}" tests="${tests}" failures="${failures}" errors="${errors}">`,
  ];
  const labels = learnerLabels(grades.verdicts);
  for (const verdict of grades.verdicts) {
    const own = cases(verdict);
    const name = `${labels.get(verdict.source)!} · ${verdict.kata ?? 'hand-in'}`;
    lines.push(
      `  <testsuite name="${attr(name)}" tests="${own.length}" failures="${own.filter((one) => one.kind === 'failure').length}" errors="${own.filter((one) => one.kind === 'error').length}" skipped="${own.filter((one) => one.kind === 'skipped').length}">`,
      '    <properties>',
      `      <property name="seed" value="${grades.seed}"/>`,
      `      <property name="learner" value="${attr(verdict.learner)}"/>`,
      `      <property name="source" value="${attr(verdict.source)}"/>`,
      `      <property name="kata" value="${attr(verdict.kata ?? '')}"/>`,
      `      <property name="status" value="${verdict.status}"/>`,
      '    </properties>',
    );
    for (const one of own) {
      const open = `    <testcase classname="${attr(`${verdict.learner}.${verdict.kata ?? 'hand-in'}`)}" name="${attr(one.name)}"`;
      if (one.kind === 'pass') lines.push(`${open}/>`);
      else if (one.kind === 'skipped') lines.push(`${open}>`, `      <skipped message="${attr(one.message)}"/>`, '    </testcase>');
      else lines.push(`${open}>`, `      <${one.kind} message="${attr(firstLine(one.message))}" type="${one.kind === 'failure' ? 'fail' : 'error'}">${text(one.message)}</${one.kind}>`, '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}

type Case = { name: string; kind: 'pass' | 'failure' | 'error' | 'skipped'; message: string };

/** A verdict's test cases: its tests, or one case saying why there were none. */
function cases(verdict: Verdict): Case[] {
  if (verdict.tests.length > 0) {
    return verdict.tests.map((test) => ({
      name: test.name,
      kind: test.status === 'pass' ? 'pass' : test.status === 'fail' ? 'failure' : 'error',
      message: test.message ?? '',
    }));
  }
  const message = verdict.failure?.message ?? '';
  if (verdict.status === 'missing') return [{ name: 'handed in', kind: 'skipped', message }];
  return [{ name: verdict.kata === null ? 'hand-in file' : 'grading', kind: verdict.status === 'pass' ? 'pass' : 'error', message }];
}

/** XML 1.0 cannot hold most control characters or lone surrogates, even escaped: they are replaced. */
function clean(value: string): string {
  return value.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');
}

function text(value: string): string {
  return clean(value).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** In an attribute, line breaks and tabs are escaped too, or a parser would fold them into spaces. */
function attr(value: string): string {
  return text(value).replaceAll('"', '&quot;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;').replaceAll('\t', '&#9;');
}

function firstLine(message: string): string {
  const line = message.split(/\r\n|\n|\r/)[0] ?? '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
