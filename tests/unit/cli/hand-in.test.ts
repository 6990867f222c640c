// The hand-in file: what a learner hands in is read, or refused with a reason that names the problem, never `error 0/5`.
import { describe, expect, it } from 'vitest';
import {
  GRADES_FORMAT, handInFileName, handInText, HandInError, makeHandIn, parseHandIn, type HandInProblem,
} from '../../../src/cli/grade/hand-in.ts';
import { MAX_FILE_BYTES, MAX_FILES_PER_KATA, MAX_HAND_IN_FILE_BYTES, MAX_KATAS_PER_HAND_IN, MAX_LEARNER_BYTES } from '../../../src/cli/limits.ts';

const APP = "export default { fetch: () => new Response('hi') };\n";

/** A hand-in file's text with some fields replaced. */
function handIn(fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'stateless-dojo-hand-in', version: 1, learner: 'Ada Lovelace', handedInAt: '2026-11-22T06:00:00.000Z',
    solved: ['visit-counter'], files: { 'visit-counter': { 'app.ts': APP } }, ...fields,
  });
}

/** The problem and message parseHandIn throws for `text`. */
function refusal(text: string): { problem: HandInProblem; message: string } {
  try {
    parseHandIn(text);
  } catch (error) {
    if (error instanceof HandInError) return { problem: error.problem, message: error.message };
    throw error;
  }
  throw new Error('parseHandIn took it');
}

describe('a good hand-in', () => {
  it('made from the export\'s data and read back gives the learner, the katas solved and the files per kata', () => {
    const made = makeHandIn(
      { solved: ['sessions', 'visit-counter', 'sessions'], files: { 'visit-counter': { 'app.ts': APP }, sessions: { 'app.ts': APP, 'lib/store.ts': 'export {};' } } },
      '  Ada Lovelace ',
      '2026-11-22T06:00:00.000Z',
    );
    expect(made).toEqual({
      format: 'stateless-dojo-hand-in', version: 1, learner: 'Ada Lovelace', handedInAt: '2026-11-22T06:00:00.000Z',
      solved: ['sessions', 'visit-counter'], files: { 'visit-counter': { 'app.ts': APP }, sessions: { 'app.ts': APP, 'lib/store.ts': 'export {};' } },
    });
    expect(parseHandIn(handInText(made))).toEqual({ kind: 'hand-in', learner: 'Ada Lovelace', solved: made.solved, files: made.files });
  });

  it('making one copies the files: later edits in the page do not change what was handed in', () => {
    const files = { 'app.ts': APP };
    const made = makeHandIn({ solved: [], files: { 'visit-counter': files } }, 'Ada', '2026-11-22T06:00:00.000Z');
    files['app.ts'] = 'changed';
    expect(made.files['visit-counter']!['app.ts']).toBe(APP);
  });

  it('making one for a name the grader would refuse throws, so the page can say so before it is sent', () => {
    expect(() => makeHandIn({ solved: [], files: {} }, '   ', 'now')).toThrow("the learner's name is empty");
    expect(() => makeHandIn({ solved: [], files: { 'visit-counter': { 'x.exe': '' } } }, 'Ada', 'now')).toThrow('only .ts, .js');
  });

  it('the site\'s "Export progress" file is taken as it is, with no name (the grader names it after the file)', () => {
    const exported = JSON.stringify({
      format: 'stateless-dojo-progress', version: 1, exportedAt: '2026-11-22T06:00:00.000Z',
      solved: ['visit-counter'], files: { 'visit-counter': { 'app.ts': APP } },
    }, null, 2);
    expect(parseHandIn(exported)).toEqual({ kind: 'export', learner: null, solved: ['visit-counter'], files: { 'visit-counter': { 'app.ts': APP } } });
  });

  it('fields it does not know (from a later page) are passed over', () => {
    expect(parseHandIn(handIn({ note: 'hello', theme: 'dark' })).learner).toBe('Ada Lovelace');
  });

  it('its file name says whose it is', () => {
    expect(handInFileName('Zoë O\'Brien-Smith')).toBe('stateless-dojo-hand-in-zoe-o-brien-smith.json');
    expect(handInFileName('李')).toBe('stateless-dojo-hand-in.json');
  });
});

describe('a corrupt hand-in is refused with the reason', () => {
  it.each([
    ['an empty file', '', 'not-json', 'the file is empty'],
    ['a file cut short', handIn().slice(0, 80), 'not-json', 'not JSON, so not a hand-in or progress file'],
    ['a version this grader does not read', handIn({ version: 2 }), 'version', 'hand-in file version 2; this grader reads version 1'],
    ['a progress file of another version', JSON.stringify({ format: 'stateless-dojo-progress', version: 7, solved: [], files: {} }), 'version', 'progress file version 7'],
    ['a name that is a number', handIn({ learner: 42 }), 'invalid', '"learner": Invalid input: expected string, received number'],
    ['files that are a list', handIn({ files: [] }), 'invalid', '"files": Invalid input: expected record, received array'],
    ['a file that is not text', handIn({ files: { 'visit-counter': { 'app.ts': 7 } } }), 'invalid', '"files" › "visit-counter" › "app.ts": Invalid input: expected string'],
    ['a missing list of solved katas', handIn({ solved: undefined }), 'invalid', '"solved": Invalid input: expected array'],
  ] as const)('%s', (_, text, problem, message) => {
    const { problem: got, message: said } = refusal(text);
    expect(got).toBe(problem);
    expect(said).toContain(message);
  });
});

describe('a foreign file is refused as not a hand-in', () => {
  it.each([
    ['another program\'s JSON', JSON.stringify({ name: 'my-app', version: '1.0.0' }), 'it has no "format" field'],
    ['a JSON list', '[1, 2, 3]', 'it has no "format" field'],
    ['a JSON string', '"hello"', 'it has no "format" field'],
    ['another format', JSON.stringify({ format: 'vscode-settings' }), 'its format is "vscode-settings"'],
  ])('%s', (_, text, message) => {
    expect(refusal(text)).toEqual({ problem: 'foreign', message: `not a Stateless Dojo hand-in or progress file (${message})` });
  });

  it('a grades report saved into the class folder is recognised as one', () => {
    expect(refusal(JSON.stringify({ format: GRADES_FORMAT, version: 2, results: [] })).problem).toBe('grades-report');
  });
});

describe('a hostile hand-in is refused before anything is written', () => {
  it.each([
    '../../../etc/cron.d/job.ts', '/etc/passwd.txt', 'lib/../../escape.ts', '..', './app.ts', 'lib/./app.ts', 'a//b.ts',
    'C:\\Windows\\evil.js', 'lib\\..\\..\\evil.ts', 'app.ts\u0000.txt', '', ' app.ts', 'lib/', `${'a/'.repeat(100)}app.ts`,
  ])('a file named %j', (name) => {
    const { problem, message } = refusal(handIn({ files: { 'visit-counter': { [name]: APP } } }));
    expect(problem).toBe('invalid');
    expect(message).toMatch(/^visit-counter: refused the file name .* \(names are relative paths/);
  });

  it.each(['run.sh', 'addon.node', 'app.ts.exe', 'Makefile'])('a file of a kind the engine does not grade, %s', (name) => {
    expect(refusal(handIn({ files: { 'visit-counter': { [name]: 'x' } } })).message).toContain(`refused "${name}" (only .ts, .js, .json, .md, .txt, .html and .css files are graded)`);
  });

  it.each(['../visit-counter', 'Visit Counter', '__proto__', 'a'.repeat(65)])('a kata named %j', (slug) => {
    expect(refusal(handIn({ files: { [slug]: { 'app.ts': APP } } })).message).toContain('in "files" is not a kata\'s name');
    expect(refusal(handIn({ solved: [slug] })).message).toContain('in "solved" is not a kata\'s name');
  });

  it('a file over 1 MB, counted in UTF-8 bytes', () => {
    const big = 'é'.repeat(MAX_FILE_BYTES / 2 + 1); // fewer characters than bytes
    expect(refusal(handIn({ files: { 'visit-counter': { 'app.ts': big } } })).message).toBe(`visit-counter/app.ts: refused, ${MAX_FILE_BYTES + 2} bytes (files are limited to 1 MB)`);
  });

  it('code over 5 MB in all, naming the file that crosses the limit', () => {
    const files: Record<string, string> = {};
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) files[`${name}.ts`] = 'x'.repeat(MAX_FILE_BYTES);
    expect(MAX_LEARNER_BYTES).toBe(5 * MAX_FILE_BYTES);
    expect(refusal(handIn({ files: { 'visit-counter': files } })).message).toBe("visit-counter/f.ts: refused, the hand-in's code is over 5 MB in all");
  });

  it('too many files for one kata', () => {
    const files = Object.fromEntries(Array.from({ length: MAX_FILES_PER_KATA + 1 }, (_, index) => [`f${index}.ts`, '']));
    expect(refusal(handIn({ files: { 'visit-counter': files } })).message).toBe(`visit-counter: ${MAX_FILES_PER_KATA + 1} files (a kata's hand-in is limited to ${MAX_FILES_PER_KATA})`);
  });

  it('too many katas, each of which would be a row of the report', () => {
    const slugs = Array.from({ length: MAX_KATAS_PER_HAND_IN + 1 }, (_, index) => `kata-${index}`);
    expect(refusal(handIn({ solved: slugs })).message).toBe(`damaged: "solved" lists ${slugs.length} katas (a hand-in is limited to ${MAX_KATAS_PER_HAND_IN})`);
    expect(refusal(handIn({ files: Object.fromEntries(slugs.map((slug) => [slug, { 'app.ts': '' }])) })).message).toBe(`damaged: "files" lists ${slugs.length} katas (a hand-in is limited to ${MAX_KATAS_PER_HAND_IN})`);
  });

  it('a file over the hand-in size limit, before it is parsed', () => {
    expect(refusal(' '.repeat(MAX_HAND_IN_FILE_BYTES + 1))).toEqual({ problem: 'too-big', message: 'the file is over 10 MB' });
  });

  it.each([
    ['control characters (a terminal escape)', 'Eve\u001b[2J'],
    ['a spreadsheet formula', '=HYPERLINK("http://evil.example","click")'],
    ['too many characters', 'E'.repeat(81)],
  ])('a learner\'s name with %s', (_, learner) => {
    expect(refusal(handIn({ learner })).message).toMatch(/^damaged: the learner's name/);
  });
});
