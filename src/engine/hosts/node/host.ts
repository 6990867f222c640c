// The Node host: each process is a worker thread with its own V8 heap (capped) and its own in-memory disk.
import { Worker } from 'node:worker_threads';
import type { FromProcess, ProcessHost, ProcessPort } from '../../process/protocol.ts';
import type { IsolateToHost } from '../../process/generations.ts';
import { processEntryCode } from './bundle.ts';

export interface NodeHostOptions {
  /** heap cap per process: runaway memory ends that process, not the run */
  memoryLimitMb?: number;
  /** isolates booted ahead of need, so a restart costs a message rather than a thread start */
  spares?: number;
}

const ENTRY = new URL('./process-entry.ts', import.meta.url);

/** Reused isolates kept beyond the spares (each is an idle thread, a few MB). */
const KEPT_BEYOND_SPARES = 6;

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
  /** isolates started and generations served by a reused isolate, for tests and the bench */
  readonly stats = { started: 0, reused: 0 };
  /** isolates being reset for reuse, counted as spares to come */
  readonly #resetting = new Set<Worker>();
  /** spawns waiting for a reset to finish (it may also fail: they then start a new isolate) */
  #waiting: (() => void)[] = [];
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
    // A reset takes a message or two; a new thread, tens of milliseconds: wait for one being reset rather than start one.
    if (this.#spares.length === 0 && this.#resetting.size > 0) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    const worker = this.#spares.shift() ?? this.#newWorker();
    this.#refill();
    this.#live.add(worker);
    return this.#port(worker);
  }

  async dispose(): Promise<void> {
    for (const resolve of this.#waiting.splice(0)) resolve();
    const all = [...this.#spares.splice(0), ...this.#live, ...this.#resetting];
    this.#live.clear();
    this.#resetting.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }

  #refill(): void {
    while (this.#spares.length + this.#resetting.size < this.#spareCount) this.#spares.push(this.#newWorker());
  }

  #newWorker(): Worker {
    const source = this.#code ?? ENTRY;
    this.stats.started += 1;
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
    let ended = false;
    const deathListeners: ((reason: string) => void)[] = [];
    const die = (reason: string) => {
      if (ended) return;
      ended = true;
      detach();
      this.#live.delete(worker);
      for (const listener of deathListeners) listener(reason);
    };
    const onError = (error: Error & { code?: string }) => {
      die(error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? `ran out of memory (over ${this.#memoryLimitMb} MB) and was killed`
        : `crashed: ${error.message}`);
    };
    const onExit = (code: number) => die(`exited with code ${code}`);
    const messageListeners: ((message: FromProcess) => void)[] = [];
    worker.on('error', onError);
    worker.on('exit', onExit);
    // This generation's listeners only: a reused isolate serves the next generation through a new port.
    const detach = () => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      for (const listener of messageListeners) worker.off('message', listener);
    };
    return {
      send: (message) => {
        if (!ended) worker.postMessage(message);
      },
      onMessage: (listener) => {
        messageListeners.push(listener);
        worker.on('message', listener);
      },
      onDeath: (listener) => void deathListeners.push(listener),
      terminate: () => {
        if (ended) return;
        ended = true;
        detach();
        this.#live.delete(worker);
        void worker.terminate();
      },
      release: () => {
        if (ended) return;
        ended = true;
        detach();
        this.#live.delete(worker);
        this.#recycle(worker);
      },
    };
  }

  /** Reset a quiet isolate and keep it as a spare (or end it, if there are spares enough). */
  #recycle(worker: Worker): void {
    // A few more than the spares: a test's processes all end at once, and the next test starts as many.
    if (this.#spares.length + this.#resetting.size >= this.#spareCount + KEPT_BEYOND_SPARES) {
      void worker.terminate();
      return;
    }
    this.#resetting.add(worker);
    const fail = () => {
      cleanup();
      void worker.terminate();
    };
    // Messages the old generation posted before the reset arrive first and are dropped here.
    const onMessage = (message: IsolateToHost) => {
      if (message.t !== 'reset-done') return;
      cleanup();
      this.stats.reused += 1;
      this.#spares.push(worker);
    };
    const cleanup = () => {
      this.#resetting.delete(worker);
      queueMicrotask(() => this.#waiting.shift()?.()); // after the spare is pushed, or the failure handled
      worker.off('message', onMessage);
      worker.off('error', fail);
      worker.off('exit', fail);
    };
    worker.on('message', onMessage);
    worker.on('error', fail);
    worker.on('exit', fail);
    worker.postMessage({ t: 'reset' });
  }
}
