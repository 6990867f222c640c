// Errors and values from learner code as plain text and data, pointing at the learner's own file, line and column.
import type { WireError } from './protocol.ts';

export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  return `a ${typeof value}`;
}

export function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return arg.stack?.split('\n').slice(0, 2).join(' ') ?? arg.message;
  try {
    return JSON.stringify(arg) ?? String(arg);
  } catch {
    return String(arg);
  }
}

/**
 * The compiler keeps lines but not columns (it rewrites imports on the same line): find where the code at the
 * compiled column starts in the learner's line, trying shorter and shorter snippets of it.
 */
export function sourceColumn(compiledLine: string, sourceLine: string, column: number): number {
  const rest = compiledLine.slice(column - 1);
  for (let length = Math.min(24, rest.length); length >= 3; length--) {
    const at = sourceLine.indexOf(rest.slice(0, length));
    if (at >= 0 && sourceLine.indexOf(rest.slice(0, length), at + 1) === -1) return at + 1;
  }
  return Math.min(column, Math.max(1, sourceLine.length));
}

/** Lines the module wrapper adds before the learner's code. */
const WRAPPER_LINES = 1;

/** An error as plain data, with the first stack frame that points into one of the learner's files. */
export function toWireError(
  error: unknown,
  files: string[],
  code?: { compiled: Record<string, string>; sources: Record<string, string> },
): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: `a non-Error value was thrown: ${formatArg(error)}` };
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack };
  for (const match of (error.stack ?? '').matchAll(/([\w./-]+\.(?:ts|js|mts|mjs)):(\d+):(\d+)/g)) {
    const file = match[1]!.replace(/^\/?app\//, '');
    if (files.includes(file)) {
      wire.file = file;
      wire.line = Number(match[2]) - WRAPPER_LINES;
      wire.column = Number(match[3]);
      const compiledLine = code?.compiled[file]?.split('\n')[wire.line - 1];
      const sourceLine = code?.sources[file]?.split('\n')[wire.line - 1];
      if (compiledLine !== undefined && sourceLine !== undefined) wire.column = sourceColumn(compiledLine, sourceLine, wire.column);
      break;
    }
  }
  return wire;
}
