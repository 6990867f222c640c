// Shared helpers of the engine unit tests: run one inline kata test against an inline app.
import type { ProcessHost } from '../../../src/engine/process/protocol.ts';
import { runTests, type RunOptions, type RunReport } from '../../../src/engine/testing/runner.ts';
import { test } from '../../../src/engine/testing/index.ts';
import type { StampedEvent, TestContext, TestResult } from '../../../src/engine/testing/types.ts';

export interface RunAppOptions {
  seed?: number;
  limits?: RunOptions['limits'];
  /** extra files next to app.ts (or every file, when `app` is a record) */
  build?: string;
  vars?: Record<string, string>;
  processes?: Record<string, string>;
  schedules?: RunOptions['schedules'];
  /** the inline test's own time-out */
  timeout?: number;
  name?: string;
}

/**
 * Run one kata test (`body`) against an app. `app` is the source of app.ts, or a record of files.
 * Values the body computes are captured by the caller's closures and asserted outside, with Vitest.
 */
export async function runApp(
  host: ProcessHost,
  app: string | Record<string, string>,
  body: (context: TestContext) => Promise<void>,
  options: RunAppOptions = {},
): Promise<{ report: RunReport; result: TestResult; events: StampedEvent[] }> {
  const files = typeof app === 'string' ? { 'app.ts': app } : app;
  const report = await runTests({
    host,
    files,
    processes: options.processes ?? { web: 'app.ts' },
    build: options.build,
    vars: options.vars,
    schedules: options.schedules,
    tests: [test(options.name ?? 'inline', body, options.timeout === undefined ? {} : { timeout: options.timeout })],
    seed: options.seed ?? 1,
    limits: options.limits,
  });
  const result = report.results[0]!;
  return { report, result, events: result.events };
}

/** The events of one kind, typed. */
export function eventsOf<K extends StampedEvent['kind']>(
  events: readonly StampedEvent[],
  kind: K,
): Extract<StampedEvent, { kind: K }>[] {
  return events.filter((event): event is Extract<StampedEvent, { kind: K }> => event.kind === kind);
}

/** A readable dump of a result, for assertion messages. */
export function dump(result: TestResult): string {
  const lines = result.events.map((event) => JSON.stringify(event));
  return `${result.status}: ${result.message}\n${lines.join('\n')}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
