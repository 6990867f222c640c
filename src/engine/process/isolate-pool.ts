// Warm isolates for a host (Web Workers, worker threads): spares booted ahead of need and quiet isolates reset for
// reuse, with a spawn taking whichever is ready first.
import type { HostToIsolate, IsolateToHost } from './generations.ts';

/** What the pool needs of one isolate. */
export interface IsolateHandle {
  post(message: HostToIsolate): void;
  /** Listen until the returned function is called; `failed` on an error or an exit. */
  watch(onMessage: (message: IsolateToHost) => void, failed: () => void): () => void;
  kill(): void;
}

export interface IsolatePoolOptions<I> {
  create(): I;
  handle(isolate: I): IsolateHandle;
  /** isolates booted ahead of need */
  spares: number;
  /** reused isolates kept beyond the spares: a test's processes all end at once, and the next test starts as many */
  keptBeyondSpares: number;
}

/** A reused isolate that has not answered its reset by then is ended (wall-clock, as a last resort only). */
const RESET_LAST_RESORT_MS = 10_000;

/**
 * Why "ready first" and not "oldest first": a new isolate takes tens of milliseconds (a thread, a script, a lockdown)
 * before it can boot a process, a reset one a message. Handing out the spare made first had a test's second process
 * wait for an isolate still loading while a reset one sat idle (measured: 150–200 ms on a failing test, most of the
 * click → results time of a starter). An isolate is ready once it has answered a reset: a new one is sent a reset
 * as soon as it is made, so its answer says its script has loaded.
 */
export class IsolatePool<I> {
  readonly #options: IsolatePoolOptions<I>;
  readonly #ready: I[] = [];
  /** loading or being reset: each becomes ready when it answers, or is dropped if it fails first */
  readonly #preparing = new Map<I, () => void>();
  /** takers waiting for the next isolate to be ready (`undefined`: none will be, make one) */
  #waiting: ((isolate: I | undefined) => void)[] = [];
  /** for tests and the bench: isolates made, and generations served by a reused one */
  readonly stats = { started: 0, reused: 0 };

  constructor(options: IsolatePoolOptions<I>) {
    this.#options = options;
  }

  /** Make spares until there are enough, ready or on their way. */
  warm(): void {
    while (this.#ready.length + this.#preparing.size < this.#options.spares) this.#prepare(this.#make(), false);
  }

  /** An isolate for a new process: a ready one, else the first to become ready, else a new one. */
  async take(): Promise<I> {
    let isolate = this.#ready.shift();
    if (isolate === undefined && this.#preparing.size > 0) isolate = await new Promise<I | undefined>((resolve) => this.#waiting.push(resolve));
    // None on its way (no spares, or they failed to load): a new one, whose failure its process will report.
    isolate ??= this.#make();
    this.warm();
    return isolate;
  }

  /** A quiet isolate whose process has ended: reset it for reuse, or end it if enough are kept. */
  giveBack(isolate: I): void {
    if (this.#ready.length + this.#preparing.size >= this.#options.spares + this.#options.keptBeyondSpares) {
      this.#options.handle(isolate).kill();
      return;
    }
    this.#prepare(isolate, true);
  }

  /** End every isolate the pool holds; takers still waiting get new ones (the host is going away). */
  dispose(): I[] {
    const held = [...this.#ready.splice(0), ...this.#preparing.keys()];
    for (const stop of this.#preparing.values()) stop();
    this.#preparing.clear();
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    return held;
  }

  #make(): I {
    this.stats.started += 1;
    return this.#options.create();
  }

  #prepare(isolate: I, reused: boolean): void {
    const handle = this.#options.handle(isolate);
    const done = () => {
      stop();
      this.#preparing.delete(isolate);
    };
    // Messages an old generation posted before the reset arrive first and are dropped here.
    const unwatch = handle.watch((message) => {
      if (message.t !== 'reset-done') return;
      done();
      if (reused) this.stats.reused += 1;
      const taker = this.#waiting.shift();
      if (taker) taker(isolate);
      else this.#ready.push(isolate);
    }, () => {
      done();
      handle.kill();
      // Not replaced here: a script that cannot load would fail again and again. With nothing left on its way,
      // waiting takers make their own, whose process reports why it failed.
      if (this.#preparing.size === 0) for (const resolve of this.#waiting.splice(0)) resolve(undefined);
    });
    // A generation let go while still busy answers once its code yields (its step budget ends any loop). The last
    // resort, for an isolate that never does: it is ended, and no taker ever waited for it alone.
    const timer = reused ? setTimeout(() => {
      done();
      handle.kill();
    }, RESET_LAST_RESORT_MS) : undefined;
    const stop = () => {
      clearTimeout(timer);
      unwatch();
    };
    this.#preparing.set(isolate, stop);
    handle.post({ t: 'reset' });
  }
}
