// Each output format of `grade`, read back the way its consumer reads it: a spreadsheet, a CI system, GitHub, a script.
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../../../src/cli/grade/formats/index.ts';
import { CSV_COLUMNS } from '../../../src/cli/grade/formats/csv.ts';
import { bounded, MAX_MESSAGE_CHARS, type Grades, type Verdict } from '../../../src/cli/grade/verdict.ts';
import { elements, parseCsv, parseXml } from './read-formats.ts';

const NAMES = [
  'every visit is counted, whichever process answers', 'the count survives restarts and deploys',
  'visits that arrive at the same time are all counted', 'GET /visits reports the count without adding a visit',
  'no visit is lost while processes are killed at random',
];
/** A message with everything a format must escape: commas, quotes, line breaks, markup, table pipes, control characters. */
const NASTY = 'expected 20, got "1" <b>&amp;</b> | a|b\r\nsecond line\u0000\u001b[31mred';

const ada = { learner: 'Ada Lovelace', source: 'ada.json' };
const bob = { learner: 'Bob, "the builder"', source: 'bob.json' };
const verdicts: Verdict[] = [
  { ...ada, kata: 'visit-counter', status: 'pass', passed: 5, total: 5, tests: NAMES.map((name) => ({ name, status: 'pass', message: null })), failure: null },
  { ...ada, kata: 'sessions', status: 'error', passed: 0, total: 1, tests: [{ name: 'logs in', status: 'error', message: 'app.ts:2:5 syntax error' }], failure: { test: 'logs in', message: 'app.ts:2:5 syntax error' } },
  {
    ...bob, kata: 'visit-counter', status: 'fail', passed: 4, total: 5,
    tests: NAMES.map((name, index) => ({ name, status: index === 2 ? 'fail' : 'pass', message: index === 2 ? NASTY : null })),
    failure: { test: NAMES[2]!, message: NASTY },
  },
  { learner: 'eve', source: 'eve.json', kata: null, status: 'error', passed: 0, total: 0, tests: [], failure: { test: null, message: `eve.json: damaged ${NASTY}` } },
  // A folder's name may hold line breaks and tabs: attributes must keep them.
  { learner: 'Fay', source: 'fay\n\r\t.json', kata: 'visit-counter', status: 'missing', passed: 0, total: 5, tests: [], failure: { test: null, message: 'fay.json: no files for visit-counter' } },
];
const grades: Grades = { seed: 4242, katas: ['visit-counter', 'sessions'], verdicts };

describe('--format csv', () => {
  it('reads back, field for field, with commas, quotes and line breaks in names and messages (RFC 4180)', () => {
    const [header, ...rows] = parseCsv(FORMATS.csv(grades));
    expect(header).toEqual([...CSV_COLUMNS]);
    expect(rows).toEqual(verdicts.map((verdict) => [
      '4242', verdict.learner, verdict.source, verdict.kata ?? '', verdict.status, String(verdict.passed), String(verdict.total),
      verdict.failure?.test ?? '', verdict.failure?.message ?? '',
    ]));
  });
});

describe('--format junit', () => {
  const xml = FORMATS.junit(grades);
  const root = parseXml(xml);
  const suites = elements(root, 'testsuite');

  it('is well-formed XML with one testsuite per learner and kata, each carrying the seed', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attributes.name).toBe('Stateless Dojo grades, seed 4242');
    expect(suites.map((suite) => suite.attributes.name)).toEqual([
      'Ada Lovelace · visit-counter', 'Ada Lovelace · sessions', 'Bob, "the builder" · visit-counter', 'eve · hand-in', 'Fay · visit-counter',
    ]);
    for (const suite of suites) {
      const properties = Object.fromEntries(elements(suite, 'property').map((property) => [property.attributes.name, property.attributes.value]));
      expect(properties.seed).toBe('4242');
    }
  });

  it('has a test case per hidden test, the failure\'s message kept whole (markup escaped, line breaks kept)', () => {
    const cases = elements(suites[2]!, 'testcase');
    expect(cases.map((one) => one.attributes.name)).toEqual(NAMES);
    expect(suites[2]!.attributes).toMatchObject({ tests: '5', failures: '1', errors: '0' });
    const failure = elements(cases[2]!, 'failure')[0]!;
    // XML cannot carry U+0000 or ESC even escaped: they become U+FFFD; everything else is exact.
    expect(failure.text).toBe(NASTY.replace('\u0000', '\uFFFD').replace('\u001b', '\uFFFD'));
    expect(failure.attributes.message).toBe('expected 20, got "1" <b>&amp;</b> | a|b');
    expect(elements(cases[0]!, 'failure')).toEqual([]);
  });

  it('shows a hand-in that could not be read as an error and one not handed in as skipped; the totals add up', () => {
    expect(elements(suites[3]!, 'error')[0]!.text).toContain('eve.json: damaged expected 20');
    expect(elements(suites[4]!, 'skipped')[0]!.attributes.message).toBe('fay.json: no files for visit-counter');
    expect(elements(suites[4]!, 'property').find((property) => property.attributes.name === 'source')!.attributes.value).toBe('fay\n\r\t.json');
    const cases = elements(root, 'testcase');
    expect(root.attributes).toEqual({
      name: 'Stateless Dojo grades, seed 4242',
      tests: String(cases.length),
      failures: String(elements(root, 'failure').length),
      errors: String(elements(root, 'error').length),
    });
    expect([cases.length, elements(root, 'failure').length, elements(root, 'error').length]).toEqual([13, 1, 2]);
  });
});

describe('--format json', () => {
  const text = FORMATS.json(grades);
  const report = JSON.parse(text);

  it('holds the seed, the verdicts and the first failure, and no traces', () => {
    expect(report).toMatchObject({ format: 'stateless-dojo-grades', version: 2, seed: 4242, katas: ['visit-counter', 'sessions'], counts: { pass: 1, fail: 1, error: 2, missing: 1 } });
    expect(report.results[2]).toEqual({
      learner: 'Bob, "the builder"', source: 'bob.json', kata: 'visit-counter', status: 'fail', passed: 4, total: 5,
      failure: { test: NAMES[2], message: NASTY },
      tests: NAMES.map((name, index) => ({ name, status: index === 2 ? 'fail' : 'pass' })),
    });
    expect(text).not.toContain('"trace"');
  });
});

describe('--format markdown', () => {
  const markdown = FORMATS.markdown(grades);
  const lines = markdown.split('\n');
  /** A table row's cells, splitting on pipes that are not escaped. */
  const cells = (line: string) => line.replace(/\\\|/g, '\u0001').split('|').slice(1, -1).map((cell) => cell.trim().replace(/\u0001/g, '\\|'));

  it('has a learner × kata table with the seed above it, one row per learner', () => {
    expect(lines[0]).toBe('## Grades: visit-counter, sessions');
    expect(markdown).toContain('Seed `4242` for every learner · 1 passed · 1 failed · 2 could not be graded · 1 not handed in');
    const header = lines.findIndex((line) => line.startsWith('| Learner | visit-counter'));
    expect(lines.slice(header, header + 6).map(cells)).toEqual([
      ['Learner', 'visit-counter', 'sessions'],
      ['---', '---'].concat(['---']),
      ['Ada Lovelace', '✅ 5/5', '⚠️ 0/1'],
      ['Bob, "the builder"', '❌ 4/5', '➖'],
      ['eve', '⚠️ unreadable', '⚠️ unreadable'],
      ['Fay', '➖', '➖'],
    ]);
  });

  it('lists what failed first, each message on one line with markup and pipes escaped', () => {
    const header = lines.indexOf('### What failed first');
    const rows = lines.slice(header + 4).map(cells);
    expect(rows.map((row) => row.slice(0, 3))).toEqual([
      ['Ada Lovelace', 'sessions', 'logs in'],
      ['Bob, "the builder"', 'visit-counter', 'visits that arrive at the same time are all counted'],
      ['eve', '—', '—'],
    ]);
    expect(rows[1]![3]).toBe('expected 20, got "1" &lt;b&gt;&amp;amp;&lt;/b&gt; \\| a\\|b second line \\[31mred');
    expect(markdown).not.toMatch(/[\u0000-\u0008\u001b]/);
  });
});

describe('the text table', () => {
  const text = FORMATS.text(grades);
  const lines = text.split('\n');

  it('names the katas, the number of learners and the seed, then a line per learner and kata', () => {
    expect(lines[0]).toBe('visit-counter, sessions: 4 learners, seed 4242');
    expect(lines[2]).toMatch(/^ {2}learner +kata +result +tests +first failure$/);
    expect(lines.slice(3, 8).map((line) => line.trim().split(/ {2,}/).slice(0, 4))).toEqual([
      ['Ada Lovelace', 'visit-counter', 'pass', '5/5'],
      ['Ada Lovelace', 'sessions', 'ERROR', '0/1'],
      ['Bob, "the builder"', 'visit-counter', 'FAIL', '4/5'],
      ['eve', '—', 'ERROR', '—'],
      ['Fay', 'visit-counter', 'missing', '—'],
    ]);
    expect(lines.at(-2)).toBe('1 passed, 1 failed, 2 could not be graded, 1 not handed in (seed 4242 for everyone)');
    expect(lines.at(-1)).toBe('the whole story of one: npm run kata -- test <kata> --hand-in <file> (or --dir <folder>) --seed 4242');
  });

  it('shows the first failing test and its message on the row, short, with no control characters for the terminal', () => {
    const row = lines.find((line) => line.includes('Bob'))!;
    expect(row).toContain('visits that arrive at the same time are all counted: expected 20, got "1" <b>&amp;</b> | a|b second line');
    expect(row.length).toBeLessThan(200);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
  });
});

describe('two learners of the same name', () => {
  it('are told apart by their file in the table, the summary and the test suites', () => {
    const twin = (source: string): Verdict => ({ learner: 'Ada', source, kata: 'visit-counter', status: 'pass', passed: 5, total: 5, tests: [], failure: null });
    const twins: Grades = { seed: 1, katas: ['visit-counter'], verdicts: [twin('ada.json'), twin('ada-2.json'), { ...twin('bob.json'), learner: 'Bob' }] };
    const shown = ['Ada (ada.json)', 'Ada (ada-2.json)', 'Bob'];
    const text = FORMATS.text(twins).split('\n').slice(3, 6);
    expect(text.map((line) => line.trim().split(/ {2,}/)[0])).toEqual(shown);
    const markdown = FORMATS.markdown(twins);
    for (const label of shown) expect(markdown).toContain(`| ${label} |`);
    expect(elements(parseXml(FORMATS.junit(twins)), 'testsuite').map((suite) => suite.attributes.name)).toEqual(shown.map((label) => `${label} · visit-counter`));
  });
});

describe('a verdict\'s messages', () => {
  it('are cut to a bound, so a learner\'s code cannot blow up the report', () => {
    expect(bounded('x'.repeat(MAX_MESSAGE_CHARS + 50))).toHaveLength(MAX_MESSAGE_CHARS);
    expect(bounded('short')).toBe('short');
  });
});
