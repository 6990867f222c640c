// The offline supervisor: a Web Worker that owns balancer, services and chaos, and runs processes as nested workers.
import { WorkerHost } from './host.ts';
import { workerScope } from './scope.ts';
import { loadBundledKata } from '../../kata/load-bundled.ts';
import { verifyKata } from '../../kata/verify.ts';
import { runTests } from '../../testing/runner.ts';
import { throughputTest, type Throughput } from '../../testing/throughput.ts';
import { runSealCheck, type ProbeOutcome } from '../../testing/seal-check.ts';
import { runAssetsCheck, type AssetsCheck } from '../../testing/assets-check.ts';
import { runStreamCheck, type StreamCheckOutcome } from '../../testing/stream-check.ts';
import type { EngineCheck, RunRequest } from '../engine.ts';
import { platformOf } from '../../kata/platform.ts';

export type ToSupervisor =
  | ({ type: 'run'; id: number } & RunRequest)
  | { type: 'verify'; id: number; slug: string; seed: number }
  | { type: 'bench'; id: number; slug: string; files: Record<string, string>; requests: number }
  | { type: 'seal'; id: number }
  | { type: 'assets'; id: number }
  | { type: 'streams'; id: number; seed: number }
  | { type: 'warm' }
  /** the page no longer wants run `id`: stop it, or skip it if it has not started */
  | { type: 'cancel'; id: number };

export type FromSupervisor =
  | { type: 'result'; id: number; result: import('../../testing/types.ts').TestResult }
  | { type: 'status'; id: number; status: import('../../testing/runner.ts').RunStatus }
  | { type: 'done'; id: number; report: import('../../testing/runner.ts').RunReport }
  | { type: 'verified'; id: number; checks: EngineCheck[] }
  | { type: 'benched'; id: number; figures: Throughput }
  | { type: 'sealed'; id: number; outcomes: ProbeOutcome[] }
  | { type: 'assets-checked'; id: number; check: AssetsCheck }
  | { type: 'streamed'; id: number; outcomes: StreamCheckOutcome[] }
  | { type: 'failed'; id: number; message: string };

const scope = workerScope();
const host = new WorkerHost();
const post = (message: FromSupervisor) => scope.postMessage(message);

// One run at a time: runs share the host's spare workers and their order keeps traces replayable.
let queue: Promise<unknown> = Promise.resolve();
/** runs asked for and not finished, by id: cancelling one aborts it (a queued one then ends before it starts) */
const runs = new Map<number, AbortController>();

scope.addEventListener('message', (event: MessageEvent<ToSupervisor>) => {
  const message = event.data;
  if (message.type === 'warm') {
    host.warm();
    return;
  }
  if (message.type === 'cancel') {
    runs.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  runs.set(message.id, controller);
  queue = queue.then(() => handle(message, controller.signal)).catch((error: unknown) => {
    post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }).finally(() => runs.delete(message.id));
});

async function handle(message: Exclude<ToSupervisor, { type: 'warm' } | { type: 'cancel' }>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return; // cancelled while it waited its turn: the page has stopped listening for it
  if (message.type === 'seal') {
    post({ type: 'sealed', id: message.id, outcomes: await runSealCheck(host) });
    return;
  }
  if (message.type === 'assets') {
    post({ type: 'assets-checked', id: message.id, check: await runAssetsCheck(host) });
    return;
  }
  if (message.type === 'streams') {
    post({ type: 'streamed', id: message.id, outcomes: await runStreamCheck(host, message.seed) });
    return;
  }
  const kata = await loadBundledKata(message.slug);
  const base = { host, ...platformOf(kata.meta) };
  if (message.type === 'run') {
    const report = await runTests({
      ...base,
      files: message.files,
      tests: message.suite === 'sample' ? kata.sample : kata.hidden,
      seed: message.seed,
      only: message.only,
      signal,
      onStatus: (status) => post({ type: 'status', id: message.id, status }),
      onResult: (result) => post({ type: 'result', id: message.id, result }),
    });
    post({ type: 'done', id: message.id, report });
    return;
  }
  if (message.type === 'bench') {
    let figures: Throughput | undefined;
    const report = await runTests({ ...base, files: message.files, tests: [throughputTest(message.requests, (f) => (figures = f))], seed: 1 });
    if (!figures) throw new Error(`the throughput run failed: ${report.results[0]?.message}`);
    post({ type: 'benched', id: message.id, figures });
    return;
  }
  // The page gets each check's verdicts per test, not its traces (they would only cost a copy).
  const checks: EngineCheck[] = (await verifyKata(kata, host, message.seed)).map(({ report, ...check }) => ({
    ...check,
    statuses: Object.fromEntries(report.results.map((result) => [result.name, result.status])),
  }));
  post({ type: 'verified', id: message.id, checks });
}
