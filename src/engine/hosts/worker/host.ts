// The browser host: each process is a module Web Worker (its own heap and globals), killed with terminate().
import type { FromProcess, ProcessHost, ProcessPort } from '../../process/protocol.ts';
import type { IsolateToHost } from '../../process/generations.ts';
import { IsolatePool } from '../../process/isolate-pool.ts';

export interface WorkerHostOptions {
  /** workers booted ahead of need, so a (re)start costs a message rather than a script load */
  spares?: number;
}

export class WorkerHost implements ProcessHost {
  readonly name = 'browser';
  readonly #pool: IsolatePool<Worker>;
  readonly #live = new Set<Worker>();

  constructor(options: WorkerHostOptions = {}) {
    this.#pool = new IsolatePool({
      create: newWorker,
      handle: (worker) => ({
        post: (message) => worker.postMessage(message),
        watch: (onMessage, failed) => {
          const message = (event: MessageEvent<IsolateToHost>) => onMessage(event.data);
          const error = (event: ErrorEvent) => {
            event.preventDefault();
            failed();
          };
          worker.addEventListener('message', message);
          worker.addEventListener('error', error);
          return () => {
            worker.removeEventListener('message', message);
            worker.removeEventListener('error', error);
          };
        },
        kill: () => worker.terminate(),
      }),
      spares: options.spares ?? 3,
      keptBeyondSpares: KEPT_BEYOND_SPARES,
    });
  }

  /** Boot the spares now (e.g. while the learner reads the brief). */
  warm(): void {
    this.#pool.warm();
  }

  async spawn(): Promise<ProcessPort> {
    const worker = await this.#pool.take();
    this.#live.add(worker);
    return this.#port(worker);
  }

  async dispose(): Promise<void> {
    for (const worker of [...this.#pool.dispose(), ...this.#live]) worker.terminate();
    this.#live.clear();
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
        this.#pool.giveBack(worker);
      },
    };
  }
}

/** Reused workers kept beyond the spares: a test's processes all end at once, and the next test starts as many. */
const KEPT_BEYOND_SPARES = 6;

function newWorker(): Worker {
  return new Worker(new URL('./process.worker.ts', import.meta.url), { type: 'module', name: 'dojo-process' });
}
