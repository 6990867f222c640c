// The two forms of a graded run: a readable report for people, and a stable JSON shape for graders and CI.
import type { RunReport } from '../testing/runner.ts';
import type { StampedEvent } from '../core/trace.ts';
import { storyLines } from '../core/story.ts';

/** Sentences of the story printed under a failed test. */
const STORY_LINES = 8;

/**
 * results.json, version 1 (close in spirit to Exercism's): one entry per test.
 * `status` is "pass" | "fail" | "error" (the code could not run: compile error, crash at start-up, time-out).
 */
export interface JsonReport {
  version: 1;
  kata: string;
  status: 'pass' | 'fail' | 'error';
  seed: number;
  host: string;
  duration_ms: number;
  /** set when the whole run could not start, e.g. a syntax error */
  message: string | null;
  tests: {
    name: string;
    status: 'pass' | 'fail' | 'error';
    message: string | null;
    seed: number;
    duration_ms: number;
    location: { file: string; line: number; column: number } | null;
    trace: StampedEvent[];
  }[];
}

export function toJsonReport(kata: string, report: RunReport): JsonReport {
  const first = report.diagnostics[0];
  return {
    version: 1,
    kata,
    status: report.status,
    seed: report.seed,
    host: report.host,
    duration_ms: report.durationMs,
    message: first ? `${first.file}:${first.line}:${first.column} ${first.message}` : null,
    tests: report.results.map((result) => ({
      name: result.name,
      status: result.status,
      message: result.message || null,
      seed: result.seed,
      duration_ms: result.durationMs,
      location: result.location ?? null,
      trace: result.events,
    })),
  };
}

const MARK = { pass: '✓', fail: '✗', error: '!' } as const;

export function formatReport(kata: string, report: RunReport, replay?: (seed: number) => string): string {
  const lines = [`${kata}: seed ${report.seed}, ${report.host} host, ${(report.durationMs / 1000).toFixed(2)} s`];
  for (const result of report.results) {
    lines.push(`  ${MARK[result.status]} ${result.name} (${Math.round(result.durationMs)} ms)`);
    if (result.status !== 'pass') {
      lines.push(...wrap(result.message, 96).map((line) => `      ${line}`));
      // The same plain-words story the kata page tells (its last sentence repeats the message, printed above).
      const happened = storyLines(result.events).filter((line) => line.kind !== 'fail').map((line) => line.text).slice(-STORY_LINES);
      if (happened.length > 0) lines.push('      what happened:', ...happened.flatMap((line) => wrap(line, 90)).map((line) => `        ${line}`));
      if (replay) lines.push(`      replay: ${replay(report.seed)}`);
    }
  }
  const count = (status: string) => report.results.filter((result) => result.status === status).length;
  lines.push(`${count('pass')} passed, ${count('fail')} failed, ${count('error')} could not run`);
  return lines.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
