// Runs a kata's tests against a learner's files on any host: a fresh cluster, services and clock per test.
import { Cluster, type ClusterLimits } from '../core/cluster.ts';
import { VirtualClock } from '../core/clock.ts';
import { Trace, type StampedEvent } from '../core/trace.ts';
import { createRandom, deriveSeed } from '../core/rng.ts';
import { compileFiles, CompileError, type Diagnostic } from '../core/compile.ts';
import { AssertionFailure, LearnerError } from '../core/errors.ts';
import { createServices, databaseWarm, warmDatabase } from '../services/index.ts';
import type { ProcessHost } from '../process/protocol.ts';
import type { PlatformSchedule } from '../services/queue.ts';
import { createClient } from './client.ts';
import { processDisk } from './disk.ts';
import { expect } from './expect.ts';
import type { TestContext, TestDefinition, TestResult } from './types.ts';

export interface RunOptions {
  host: ProcessHost;
  /** the learner's files: path → source */
  files: Record<string, string>;
  /** process type → entry file */
  processes: Record<string, string>;
  build?: string;
  vars?: Record<string, string>;
  /** the platform's schedules (kata.json): declared on the queue before each test starts */
  schedules?: readonly PlatformSchedule[];
  tests: readonly TestDefinition[];
  seed: number;
  /** run only the tests with these names */
  only?: readonly string[];
  limits?: Partial<ClusterLimits>;
  /** called as each test ends, for live progress */
  onResult?: (result: TestResult) => void;
  /**
   * called when the run waits for something that is no test's doing ('starting-database': Postgres is starting,
   * which takes seconds, before the first test that may use it), and when tests start or resume ('running'),
   * so a UI can say "starting the database…"; each change is told once
   */
  onStatus?: (status: RunStatus) => void;
  /** stops the run: the test under way ends (its cluster shut down) and no further test starts */
  signal?: AbortSignal;
}

export type RunStatus = 'starting-database' | 'running';

export interface RunReport {
  status: 'pass' | 'fail' | 'error';
  seed: number;
  host: string;
  durationMs: number;
  /** syntax errors, for editor markers */
  diagnostics: Diagnostic[];
  results: TestResult[];
}

/**
 * The wall-clock limit of a test: a last resort, not a verdict. Slow code is judged by step budgets inside the
 * processes and waits by the virtual clock, so a test only reaches this when the machine is far too busy or
 * something waits forever; it is then reported as an error of the run, never as a fail of the learner's code.
 */
export const DEFAULT_TEST_TIMEOUT_MS = 120_000;

/** A word `db` in the learner's code or a kata test: the run will most likely use the SQL database. */
const MENTIONS_DB = /\bdb\b/;

/** Whether a run will likely use the database, so it is started before the first test rather than inside it. */
export function usesDatabase(files: Record<string, string>, tests: readonly TestDefinition[]): boolean {
  return Object.values(files).some((source) => MENTIONS_DB.test(source)) || tests.some((test) => MENTIONS_DB.test(String(test.run)));
}

export async function runTests(options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const tests = options.only ? options.tests.filter((test) => options.only!.includes(test.name)) : options.tests;
  const report = (results: TestResult[], diagnostics: Diagnostic[] = []): RunReport => ({
    // No test at all proves nothing: that is an error, not a pass.
    status: results.length === 0 || results.some((result) => result.status === 'error') ? 'error'
      : results.every((result) => result.status === 'pass') ? 'pass' : 'fail',
    seed: options.seed,
    host: options.host.name,
    durationMs: round(performance.now() - started),
    diagnostics,
    results,
  });

  let modules: Record<string, string>;
  try {
    modules = compileFiles(options.files);
    for (const entry of [...Object.values(options.processes), ...(options.build ? [options.build] : [])]) {
      if (!(entry in modules)) throw new LearnerError(`the entry file ${entry} is missing`);
    }
  } catch (error) {
    const diagnostics = error instanceof CompileError ? error.diagnostics : [];
    const message = error instanceof Error ? error.message : String(error);
    const results = tests.map((test): TestResult => ({
      name: test.name, status: 'error', message: `your code does not compile: ${message}`,
      seed: deriveSeed(options.seed, test.name), durationMs: 0, events: [],
      ...(diagnostics[0] ? { location: { file: diagnostics[0].file, line: diagnostics[0].line, column: diagnostics[0].column } } : {}),
    }));
    results.forEach((result) => options.onResult?.(result));
    return report(results, diagnostics);
  }

  // Starting Postgres takes seconds (up to twenty on a busy machine): that happens here, between tests, never
  // inside one. Code that reaches the database without naming it (`env['d' + 'b']`) still gets a fair result:
  // a test during which the database had to be started is run again, with the database started.
  const needsDatabase = usesDatabase(options.files, tests);
  let status: RunStatus | undefined;
  const tell = (next: RunStatus) => {
    if (next !== status) options.onStatus?.((status = next));
  };
  const results: TestResult[] = [];
  for (const test of tests) {
    if (options.signal?.aborted) break; // a stopped run's report is never shown: what ran so far is enough
    if (needsDatabase) await startDatabase(tell);
    tell('running');
    let outcome = await runOne(test, modules, options);
    if (outcome.databaseStartedCold) {
      await startDatabase(tell);
      tell('running');
      outcome = await runOne(test, modules, options);
    }
    options.onResult?.(outcome.result);
    results.push(outcome.result);
  }
  return report(results);
}

/** Makes sure a started database waits in the pool, saying so while it starts one. */
async function startDatabase(tell: (status: RunStatus) => void): Promise<void> {
  if (databaseWarm()) return;
  tell('starting-database');
  try {
    await warmDatabase();
  } catch {
    // A database that cannot start fails the test's first query, with the reason, where the learner sees it.
  }
}

async function runOne(
  test: TestDefinition,
  modules: Record<string, string>,
  options: RunOptions,
): Promise<{ result: TestResult; databaseStartedCold: boolean }> {
  const seed = deriveSeed(options.seed, test.name);
  const clock = new VirtualClock();
  const services = createServices(clock);
  for (const schedule of options.schedules ?? []) services.queue.declare(schedule);
  const trace = new Trace(() => clock.now());
  const random = createRandom(seed);
  const cluster = new Cluster({
    host: options.host,
    app: { modules, sources: options.files, processes: options.processes, build: options.build, vars: options.vars },
    services: services as unknown as ConstructorParameters<typeof Cluster>[0]['services'],
    trace, clock, random, seed, limits: options.limits,
  });
  let clients = 0;
  const context: TestContext = {
    cluster: {
      start: (counts) => cluster.start(counts),
      scale: (counts) => cluster.scale(counts),
      processes: (type) => cluster.processes(type),
      restart: (process) => cluster.restart(process),
      restartAll: () => cluster.restartAll(),
      kill: (process) => cluster.kill(process),
      deploy: () => cluster.deploy(),
      balance: (policy) => cluster.balance(policy),
      chaos: (chaos) => cluster.chaos(chaos),
      idle: () => cluster.idle(),
      disk: async (process) => processDisk(typeof process === 'string' ? process : process.name, await cluster.disk(process)),
    },
    client: () => createClient(cluster, () => clock.now(), `client-${++clients}`, (text) => void trace.add({ kind: 'note', text })),
    clock: {
      now: () => clock.now(),
      advance: (ms) => cluster.advance(ms),
    },
    services: { kv: services.kv, objects: services.objects, db: services.db, queue: services.queue },
    expect,
    fail: (message) => {
      throw new AssertionFailure(message);
    },
    note: (text) => void trace.add({ kind: 'note', text }),
    trace,
    random,
  };

  const started = performance.now();
  const timeout = test.timeout ?? DEFAULT_TEST_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let status: TestResult['status'] = 'pass';
  let message = '';
  let location: TestResult['location'];
  try {
    await Promise.race([
      // a test that passes still lets the cluster finish what it was doing (due timers, console lines), for the trace
      test.run(context).then(() => cluster.idle()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new LearnerError(timedOut(timeout))), timeout);
        // Stopping the run ends the test at once (its cluster is shut down below), whatever it waits for.
        options.signal?.addEventListener('abort', () => reject(new LearnerError('the run was stopped')), { once: true });
      }),
    ]);
  } catch (error) {
    if (error instanceof AssertionFailure) {
      status = 'fail';
      message = error.message + whatWentWrong(trace.events, error.message);
    } else if (error instanceof LearnerError) {
      status = 'error';
      message = error.message;
      location = error.location;
    } else {
      status = 'error';
      message = `the test itself broke (a bug in this kata, please report it): ${error instanceof Error ? error.message : String(error)}`;
    }
    trace.add({ kind: 'fail', message });
  } finally {
    clearTimeout(timer);
    cluster.shutdown();
    await services.close();
  }
  location ??= locationInTrace(trace.events);
  const result: TestResult = {
    name: test.name, status, message, seed, durationMs: round(performance.now() - started),
    events: trace.events, ...(status !== 'pass' && location ? { location } : {}),
  };
  return { result, databaseStartedCold: services.databaseStartedCold };
}

/** The message of a test that reached its wall-clock limit: an error of the run, not a verdict on the code. */
export function timedOut(timeoutMs: number): string {
  return `the test did not finish within ${timeoutMs / 1000} s: the machine may be too busy (run it again when it is `
    + 'less loaded), or the code waits for something that never happens';
}

/** A failed assertion often has a cause the learner cannot see from the test: a crash or an exception. */
function whatWentWrong(events: readonly StampedEvent[], message: string): string {
  for (const event of events) {
    if (event.kind === 'crash' && message.includes(event.reason)) continue;
    if (event.kind === 'crash') return `. Meanwhile ${event.process} ${event.reason}.`;
    if (event.kind === 'log' && event.cause === 'uncaught-in-fetch') return `. Meanwhile ${event.process} threw ${event.error}.`;
  }
  return '';
}

function locationInTrace(events: readonly StampedEvent[]): TestResult['location'] {
  for (const event of events) {
    if ((event.kind === 'crash' || event.kind === 'log') && event.location) return event.location;
  }
  return undefined;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
