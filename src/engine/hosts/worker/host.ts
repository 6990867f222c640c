// The browser host: each process is a module Web Worker (its own heap and globals), killed with terminate().
import type { FromProcess, ProcessHost, ProcessPort } from '../../process/protocol.ts';
import type { IsolateToHost } from '../../process/generations.ts';

export interface WorkerHostOptions {
  /** workers booted ahead of need, so a (re)start costs a message rather than a script load */
  spares?: number;
}

export class WorkerHost implements ProcessHost {
  readonly name = 'browser';
  readonly #spareCount: number;
  readonly #spares: Worker[] = [];
  readonly #live = new Set<Worker>();
  /** workers being reset for reuse (see process/generations.ts) */
  readonly #resetting = new Set<Worker>();
  /** spawns waiting for a reset to finish (it may also fail: they then start a new worker) */
  #waiting: (() => void)[] = [];

  constructor(options: WorkerHostOptions = {}) {
    this.#spareCount = options.spares ?? 3;
  }

  /** Boot the spares now (e.g. while the learner reads the brief). */
  warm(): void {
    while (this.#spares.length + this.#resetting.size < this.#spareCount) this.#spares.push(newWorker());
  }

  async spawn(): Promise<ProcessPort> {
    // A reset takes a message or two; a new worker, a script load: wait for one being reset rather than start one.
    if (this.#spares.length === 0 && this.#resetting.size > 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    const worker = this.#spares.shift() ?? newWorker();
    this.warm();
    this.#live.add(worker);
    return this.#port(worker);
  }

  async dispose(): Promise<void> {
    for (const resolve of this.#waiting.splice(0)) resolve();
    for (const worker of [...this.#spares.splice(0), ...this.#live, ...this.#resetting]) worker.terminate();
    this.#live.clear();
    this.#resetting.clear();
  }

  #port(worker: Worker): ProcessPort {
    let ended = false;
    const deathListeners: ((reason: string) => void)[] = [];
    const messageListeners: ((event: MessageEvent<FromProcess>) => void)[] = [];
    // An error that escapes the runtime's own handlers (e.g. the worker's script failed to load).
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      if (ended) return;
      end();
      worker.terminate();
      const text = event.message || 'the worker failed';
      for (const listener of deathListeners) listener(/out of memory/i.test(text) ? 'ran out of memory and was killed' : `crashed: ${text}`);
    };
    worker.addEventListener('error', onError);
    // This generation's listeners only: a reused worker serves the next generation through a new port.
    const end = () => {
      ended = true;
      this.#live.delete(worker);
      worker.removeEventListener('error', onError);
      for (const listener of messageListeners) worker.removeEventListener('message', listener);
    };
    return {
      send: (message) => {
        if (!ended) worker.postMessage(message);
      },
      onMessage: (listener) => {
        const wrapped = (event: MessageEvent<FromProcess>) => listener(event.data);
        messageListeners.push(wrapped);
        worker.addEventListener('message', wrapped);
      },
      onDeath: (listener) => void deathListeners.push(listener),
      terminate: () => {
        if (ended) return;
        end();
        worker.terminate();
      },
      release: () => {
        if (ended) return;
        end();
        this.#recycle(worker);
      },
    };
  }

  /** Reset a quiet worker and keep it as a spare (or end it, if there are spares enough). */
  #recycle(worker: Worker): void {
    if (this.#spares.length + this.#resetting.size >= this.#spareCount + KEPT_BEYOND_SPARES) {
      worker.terminate();
      return;
    }
    this.#resetting.add(worker);
    // Messages the old generation posted before the reset arrive first and are dropped here.
    const onMessage = (event: MessageEvent<IsolateToHost>) => {
      if (event.data.t !== 'reset-done') return;
      cleanup();
      this.#spares.push(worker);
    };
    const onError = (event: ErrorEvent) => {
      event.preventDefault();
      cleanup();
      worker.terminate();
    };
    const cleanup = () => {
      this.#resetting.delete(worker);
      queueMicrotask(() => this.#waiting.shift()?.()); // after the spare is pushed, or the failure handled
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    worker.postMessage({ t: 'reset' });
  }
}

/** Reused workers kept beyond the spares: a test's processes all end at once, and the next test starts as many. */
const KEPT_BEYOND_SPARES = 6;

function newWorker(): Worker {
  return new Worker(new URL('./process.worker.ts', import.meta.url), { type: 'module', name: 'dojo-process' });
}
