// The page's handle on the offline engine: talks to the supervisor worker and replaces it if it ever stops answering.
import type { EngineCheck, KataEngine, RunHooks, RunRequest } from '../engine.ts';
import type { RunReport, RunStatus } from '../../testing/runner.ts';
import type { TestResult } from '../../testing/types.ts';
import type { FromSupervisor, ToSupervisor } from './supervisor.worker.ts';

/**
 * A run may go this long without a word from the supervisor (a result, or its end) before the supervisor is presumed
 * stuck and replaced: longer than one test's own last resort (120 s) plus a database start, so a busy machine
 * never loses a run that is still going.
 */
const RUN_WATCHDOG_MS = 180_000;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onResult?: (result: TestResult) => void;
  onStatus?: (status: RunStatus) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class OfflineEngine implements KataEngine {
  readonly kind = 'offline';
  readonly label = 'offline engine (Web Workers in this tab)';
  #worker: Worker | undefined;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  /** Start the supervisor and its spare processes ahead of the first run. */
  warm(): void {
    this.#send({ type: 'warm' });
  }

  run(request: RunRequest, onResult?: (result: TestResult) => void, hooks: RunHooks = {}): Promise<RunReport> {
    return this.#call((id) => ({ type: 'run', id, ...request }), onResult, hooks) as Promise<RunReport>;
  }

  verify(slug: string, seed = 1): Promise<EngineCheck[]> {
    return this.#call((id) => ({ type: 'verify', id, slug, seed })) as Promise<EngineCheck[]>;
  }

  /** Try every known way out of a process in this browser (see testing/seal-check.ts). */
  sealCheck(): Promise<import('../../testing/seal-check.ts').ProbeOutcome[]> {
    return this.#call((id) => ({ type: 'seal', id })) as Promise<import('../../testing/seal-check.ts').ProbeOutcome[]>;
  }

  /** Static assets from the release, end to end, in this browser (see testing/assets-check.ts). */
  assetsCheck(): Promise<import('../../testing/assets-check.ts').AssetsCheck> {
    return this.#call((id) => ({ type: 'assets', id })) as Promise<import('../../testing/assets-check.ts').AssetsCheck>;
  }

  /** Long-lived responses (server-sent events) in this browser (see testing/stream-check.ts). */
  streamCheck(seed = 1): Promise<import('../../testing/stream-check.ts').StreamCheckOutcome[]> {
    return this.#call((id) => ({ type: 'streams', id, seed })) as Promise<import('../../testing/stream-check.ts').StreamCheckOutcome[]>;
  }

  /** Requests per second through the balancer to three processes (for `npm run bench`). */
  bench(slug: string, files: Record<string, string>, requests: number): Promise<import('../../testing/throughput.ts').Throughput> {
    return this.#call((id) => ({ type: 'bench', id, slug, files, requests })) as Promise<import('../../testing/throughput.ts').Throughput>;
  }

  /** Stop the supervisor; every run still waiting fails with `reason`. */
  dispose(reason = new Error('the engine was stopped')): void {
    this.#worker?.terminate();
    this.#worker = undefined;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason);
    }
    this.#pending.clear();
  }

  #call(build: (id: number) => ToSupervisor, onResult?: (result: TestResult) => void, { signal, onStatus }: RunHooks = {}): Promise<unknown> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onResult, onStatus, timer: this.#watchdog() });
      this.#send(build(id));
      // Stopped: the caller hears at once, the supervisor stops the run, and anything it still sends is dropped.
      signal?.addEventListener('abort', () => {
        const pending = this.#pending.get(id);
        if (!pending) return;
        clearTimeout(pending.timer);
        this.#pending.delete(id);
        this.#worker?.postMessage({ type: 'cancel', id } satisfies ToSupervisor);
        reject(signal.reason);
      }, { once: true });
    });
  }

  #watchdog(): ReturnType<typeof setTimeout> {
    // The whole supervisor is replaced: its other runs fail with the same reason.
    return setTimeout(() => {
      this.dispose(new Error(`the engine said nothing for ${RUN_WATCHDOG_MS / 1000} s and was restarted`));
    }, RUN_WATCHDOG_MS);
  }

  #send(message: ToSupervisor): void {
    this.#worker ??= this.#start();
    this.#worker.postMessage(message);
  }

  #start(): Worker {
    const worker = new Worker(new URL('./supervisor.worker.ts', import.meta.url), { type: 'module', name: 'dojo-supervisor' });
    worker.addEventListener('message', (event: MessageEvent<FromSupervisor>) => this.#receive(event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.dispose(new Error(`the offline engine failed: ${event.message || 'its script did not load'}`));
    });
    return worker;
  }

  #receive(message: FromSupervisor): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    if (message.type === 'result' || message.type === 'status') {
      // Either is a sign of life: the run is still going.
      clearTimeout(pending.timer);
      pending.timer = this.#watchdog();
      if (message.type === 'result') pending.onResult?.(message.result);
      else pending.onStatus?.(message.status);
      return;
    }
    clearTimeout(pending.timer);
    this.#pending.delete(message.id);
    if (message.type === 'done') pending.resolve(message.report);
    else if (message.type === 'verified') pending.resolve(message.checks);
    else if (message.type === 'benched') pending.resolve(message.figures);
    else if (message.type === 'sealed' || message.type === 'streamed') pending.resolve(message.outcomes);
    else if (message.type === 'assets-checked') pending.resolve(message.check);
    else pending.reject(new Error(message.message));
  }
}
