// The browser host: each process is a module Web Worker (its own heap and globals), killed with terminate().
import type { FromProcess, ProcessHost, ProcessPort } from '../../process/protocol.ts';

export interface WorkerHostOptions {
  /** workers booted ahead of need, so a (re)start costs a message rather than a script load */
  spares?: number;
}

export class WorkerHost implements ProcessHost {
  readonly name = 'browser';
  readonly #spareCount: number;
  readonly #spares: Worker[] = [];
  readonly #live = new Set<Worker>();

  constructor(options: WorkerHostOptions = {}) {
    this.#spareCount = options.spares ?? 3;
  }

  /** Boot the spares now (e.g. while the learner reads the brief). */
  warm(): void {
    while (this.#spares.length < this.#spareCount) this.#spares.push(newWorker());
  }

  async spawn(): Promise<ProcessPort> {
    const worker = this.#spares.shift() ?? newWorker();
    this.warm();
    this.#live.add(worker);
    return this.#port(worker);
  }

  async dispose(): Promise<void> {
    for (const worker of [...this.#spares.splice(0), ...this.#live]) worker.terminate();
    this.#live.clear();
  }

  #port(worker: Worker): ProcessPort {
    let ended = false;
    const deathListeners: ((reason: string) => void)[] = [];
    const end = () => {
      ended = true;
      this.#live.delete(worker);
      worker.terminate();
    };
    // An error that escapes the runtime's own handlers (e.g. the worker's script failed to load).
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (ended) return;
      end();
      const text = event.message || 'the worker failed';
      for (const listener of deathListeners) listener(/out of memory/i.test(text) ? 'ran out of memory and was killed' : `crashed: ${text}`);
    });
    return {
      send: (message) => {
        if (!ended) worker.postMessage(message);
      },
      onMessage: (listener) => worker.addEventListener('message', (event: MessageEvent<FromProcess>) => listener(event.data)),
      onDeath: (listener) => void deathListeners.push(listener),
      terminate: () => {
        if (!ended) end();
      },
    };
  }
}

function newWorker(): Worker {
  return new Worker(new URL('./process.worker.ts', import.meta.url), { type: 'module', name: 'dojo-process' });
}
