// A process's timers: the host's timers behind opaque handles, counted, so the supervisor can tell a process that
// waits for a timer from one that has nothing left to run, and so each callback starts with a fresh step budget.

import { hardenShared } from './seal/lockdown.ts';

type Callback = (...args: unknown[]) => unknown;

export interface TimerHooks {
  /** before each callback (a new macrotask: the step budget starts again) */
  before(): void;
  /** after each callback, thrown or not (the process may be idle again) */
  after(): void;
}

/** What `setTimeout` returns: an id in a handle with Node's methods, so `timer.unref()` works on every host. */
class TimerHandle {
  readonly #id: number;
  readonly #refresh: () => void;
  constructor(id: number, refresh: () => void) {
    this.#id = id;
    this.#refresh = refresh;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  hasRef(): boolean {
    return true;
  }
  refresh(): this {
    this.#refresh();
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.#id;
  }
}

export function createTimers(hooks: TimerHooks) {
  hardenShared(TimerHandle); // shared by every generation of the isolate
  const live = new Map<number, { cancel(): void }>();
  let nextId = 1;

  const idOf = (handle: unknown): number => (handle instanceof TimerHandle ? Number(handle) : Number(handle));

  function run(callback: Callback, args: unknown[]): void {
    hooks.before();
    try {
      callback(...args);
    } finally {
      hooks.after();
    }
  }

  function schedule(callback: unknown, ms: unknown, args: unknown[], repeat: boolean): TimerHandle {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
    const id = nextId++;
    const delay = Math.max(0, Number(ms) || 0);
    let real: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(real);
      real = setTimeout(fire, delay);
    };
    const fire = () => {
      if (repeat) arm();
      else live.delete(id);
      run(callback as Callback, args);
    };
    live.set(id, { cancel: () => clearTimeout(real) });
    arm();
    return new TimerHandle(id, () => live.has(id) && arm());
  }

  function cancel(handle: unknown): void {
    const id = idOf(handle);
    live.get(id)?.cancel();
    live.delete(id);
  }

  return {
    /** timers set and not yet fired or cleared */
    pending: () => live.size,
    /** cancel every timer (the generation that set them is over) */
    clearAll(): void {
      for (const timer of live.values()) timer.cancel();
      live.clear();
    },
    globals: {
      setTimeout: (callback: unknown, ms?: unknown, ...args: unknown[]) => schedule(callback, ms, args, false),
      setInterval: (callback: unknown, ms?: unknown, ...args: unknown[]) => schedule(callback, ms, args, true),
      setImmediate: (callback: unknown, ...args: unknown[]) => schedule(callback, 0, args, false),
      clearTimeout: cancel,
      clearInterval: cancel,
      clearImmediate: cancel,
    },
  };
}
