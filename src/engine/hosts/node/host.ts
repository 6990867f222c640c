// The Node host: each process is a worker thread with its own V8 heap (capped) and its own in-memory disk.
import { Worker } from 'node:worker_threads';
import type { FromProcess, ProcessHost, ProcessPort } from '../../process/protocol.ts';
import { processEntryCode } from './bundle.ts';
import { IsolatePool } from '../../process/isolate-pool.ts';

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
  readonly #pool: IsolatePool<Worker>;
  readonly #live = new Set<Worker>();
  #code: string | undefined;
  #ready: Promise<void> | undefined;

  constructor(options: NodeHostOptions = {}) {
    this.#memoryLimitMb = options.memoryLimitMb ?? 96;
    this.#pool = new IsolatePool({
      create: () => this.#newWorker(),
      handle: (worker) => ({
        post: (message) => worker.postMessage(message),
        watch: (onMessage, failed) => {
          worker.on('message', onMessage);
          worker.on('error', failed);
          worker.on('exit', failed);
          return () => {
            worker.off('message', onMessage);
            worker.off('error', failed);
            worker.off('exit', failed);
          };
        },
        kill: () => void worker.terminate(),
      }),
      spares: options.spares ?? 3,
      keptBeyondSpares: KEPT_BEYOND_SPARES,
    });
  }

  /** isolates started and generations served by a reused isolate, for tests and the bench */
  get stats(): { started: number; reused: number } {
    return { ...this.#pool.stats };
  }

  /** Bundle the entry and boot the spares; called by the first spawn, or earlier to take it off the clock. */
  warm(): Promise<void> {
    this.#ready ??= processEntryCode().then((code) => {
      this.#code = code;
      this.#pool.warm();
    });
    return this.#ready;
  }

  async spawn(): Promise<ProcessPort> {
    await this.warm();
    const worker = await this.#pool.take();
    this.#live.add(worker);
    return this.#port(worker);
  }

  async dispose(): Promise<void> {
    const all = [...this.#pool.dispose(), ...this.#live];
    this.#live.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
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
        this.#pool.giveBack(worker);
      },
    };
  }
}
