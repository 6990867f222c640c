// Errors a run reports to the learner, as opposed to bugs in a test or in the engine.
import type { WireError } from '../process/protocol.ts';

/** The learner's code failed in a way that stops the test (a crash at start-up, a failed build). */
export class LearnerError extends Error {
  readonly location?: { file: string; line: number; column: number };
  constructor(message: string, location?: { file: string; line: number; column: number }) {
    super(message);
    this.name = 'LearnerError';
    this.location = location;
  }
}

/** A failed expectation in a test; its message is written for the learner. */
export class AssertionFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionFailure';
  }
}

/** "TypeError: x is not a function (app.ts:12:7)" */
export function describeWireError(error: WireError): string {
  const where = error.file ? ` (${error.file}:${error.line}:${error.column})` : '';
  return `${error.name}: ${error.message}${where}`;
}

export function locationOf(error: WireError): { file: string; line: number; column: number } | undefined {
  return error.file ? { file: error.file, line: error.line ?? 1, column: error.column ?? 1 } : undefined;
}
