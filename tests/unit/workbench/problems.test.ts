// The Problems list's text: which markers are problems, in what order, written as file:line:col message.
import { describe, expect, it } from 'vitest';
import { problemText, problemsSummary, toProblems, type MarkerLike } from '../../../src/workbench/problems.ts';

const marker = (uri: string, line: number, column: number, message: string, severity = 8): MarkerLike => ({
  resource: { toString: () => uri },
  severity,
  message,
  startLineNumber: line,
  startColumn: column,
});
const fileOf = (uri: string) => (uri.startsWith('file:///app/') ? uri.slice('file:///app/'.length) : undefined);

describe('problems', () => {
  it("lists the learner's files' errors, warnings and notes by file, line and column; hints and other models not", () => {
    const problems = toProblems([
      marker('file:///app/app.ts', 9, 3, 'late'),
      marker('file:///app/app.ts', 4, 33, "Property 'increment' does not exist on type 'KeyValue'."),
      marker('file:///app/app.ts', 4, 2, 'Unreachable code detected.', 4),
      marker('file:///app/app.ts', 3, 29, "'request' is declared but its value is never read.", 1),
      marker('file:///diff/solution/app.ts', 1, 1, 'in the diff, not in the code'),
      marker('file:///app/a-worker.ts', 12, 1, 'Expression expected.'),
      marker('file:///app/app.ts', 7, 1, 'a note', 2),
    ], fileOf);
    expect(problems.map(problemText)).toEqual([
      'a-worker.ts:12:1 Expression expected.',
      'app.ts:4:2 warning: Unreachable code detected.',
      "app.ts:4:33 Property 'increment' does not exist on type 'KeyValue'.",
      'app.ts:7:1 info: a note',
      'app.ts:9:3 late',
    ]);
  });

  it('lists the same problem once when two checkers report it', () => {
    const twice = [marker('file:///app/app.ts', 2, 5, 'Expression expected.'), marker('file:///app/app.ts', 2, 5, 'Expression expected.')];
    expect(toProblems(twice, fileOf)).toHaveLength(1);
  });

  it('says how many there are', () => {
    expect(problemsSummary([])).toBe('No problems found.');
    expect(problemsSummary(toProblems([marker('file:///app/app.ts', 1, 1, 'x')], fileOf))).toBe('1 problem in your code:');
    expect(problemsSummary(toProblems([marker('file:///app/app.ts', 1, 1, 'x'), marker('file:///app/app.ts', 2, 1, 'y')], fileOf))).toBe('2 problems in your code:');
  });
});
