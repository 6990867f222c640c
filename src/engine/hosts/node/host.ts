// The Node host: each process is a worker thread with its own V8 heap (capped) and its own in-memory disk.
import { Worker } from 'node:worker_threads';
import type { FromProcess, ProcessHost, ProcessPort } from '../../process/protocol.ts';
import { processEntryCode } from './bundle.ts';

export interface NodeHostOptions {
  /** heap cap per process: runaway memory ends that process, not the run */
  memoryLimitMb?: number;
  /** isolates booted ahead of need, so a restart costs a message rather than a thread start */
  spares?: number;
}

const ENTRY = new URL('./process-entry.ts', import.meta.url);

/**
 * Worker threads rather than child processes: each still has its own heap, globals and module
 * registry (nothing is shared), `terminate()` is a hard kill, `resourceLimits` turns runaway memory
 * into a clean error, and messages are structured-cloned (bytes cross as bytes), exactly as Web
 * Workers do in the browser host. Spawning costs about the same as a child process here (~55–65 ms
 * for either, measured); warm spares keep that cost out of a test.
 */
export class NodeHost implements ProcessHost {
  readonly name = 'node';
  readonly #memoryLimitMb: number;
  readonly #spareCount: number;
  readonly #spares: Worker[] = [];
  readonly #live = new Set<Worker>();
  #code: string | undefined;
  #ready: Promise<void> | undefined;

  constructor(options: NodeHostOptions = {}) {
    this.#memoryLimitMb = options.memoryLimitMb ?? 96;
    this.#spareCount = options.spares ?? 3;
  }

  /** Bundle the entry and boot the spares; called by the first spawn, or earlier to take it off the clock. */
  warm(): Promise<void> {
    this.#ready ??= processEntryCode().then((code) => {
      this.#code = code;
      this.#refill();
    });
    return this.#ready;
  }

  async spawn(): Promise<ProcessPort> {
    await this.warm();
    const worker = this.#spares.shift() ?? this.#newWorker();
    this.#refill();
    this.#live.add(worker);
    return this.#port(worker);
  }

  async dispose(): Promise<void> {
    const all = [...this.#spares.splice(0), ...this.#live];
    this.#live.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }

  #refill(): void {
    while (this.#spares.length < this.#spareCount) this.#spares.push(this.#newWorker());
  }

  #newWorker(): Worker {
    const source = this.#code ?? ENTRY;
    const worker = new Worker(source, {
      eval: this.#code !== undefined,
      resourceLimits: { maxOldGenerationSizeMb: this.#memoryLimitMb, maxYoungGenerationSizeMb: 16 },
      stdout: true,
      stderr: true,
    });
    worker.unref();
    // Errors before the port is handed out are reported through the port's listeners later.
    worker.on('error', () => undefined);
    return worker;
  }

  #port(worker: Worker): ProcessPort {
    let terminated = false;
    const deathListeners: ((reason: string) => void)[] = [];
    const die = (reason: string) => {
      if (terminated) return;
      terminated = true;
      this.#live.delete(worker);
      for (const listener of deathListeners) listener(reason);
    };
    worker.on('error', (error: Error & { code?: string }) => {
      die(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `ran out of memory (over ${this.#memoryLimitMb} MB) and was killed`
        : `crashed: ${error.message}`);
    });
    worker.on('exit', (code) => die(`exited with code ${code}`));
    return {
      send: (message) => {
        if (!terminated) worker.postMessage(message);
      },
      onMessage: (listener) => worker.on('message', (message: FromProcess) => listener(message)),
      onDeath: (listener) => void deathListeners.push(listener),
      terminate: () => {
        if (terminated) return;
        terminated = true;
        this.#live.delete(worker);
        void worker.terminate();
      },
    };
  }
}
