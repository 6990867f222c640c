// A process's timers on the test's virtual clock: kept here with their due times, fired only when the supervisor
// says (`fire`), so work a process starts by itself replays exactly, in seed order, whatever the machine's speed.

import { hardenShared } from './seal/lockdown.ts';
import type { PendingTimer } from './protocol.ts';
import { MAX_PENDING_TIMERS } from '../core/limits.ts';

type Callback = (...args: unknown[]) => unknown;

export interface TimerHooks {
  /** the process's virtual time now */
  now(): number;
  /** before each callback (a new macrotask: the step budget starts again) */
  before(): void;
  /** after each callback, thrown or not (the process may be idle again) */
  after(): void;
  /** where in the learner's code a timer was set, if it can tell */
  where?(): { file: string; line: number } | undefined;
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

interface Timer extends PendingTimer {
  callback: Callback;
  args: unknown[];
}

export function createTimers(hooks: TimerHooks) {
  hardenShared(TimerHandle); // shared by every generation of the isolate
  const live = new Map<number, Timer>();
  let nextId = 1;

  const idOf = (handle: unknown): number => Number(handle);

  function schedule(callback: unknown, ms: unknown, args: unknown[], repeat: boolean): TimerHandle {
    if (typeof callback !== 'function') throw new TypeError('The "callback" argument must be of type function');
    if (live.size >= MAX_PENDING_TIMERS) {
      throw new RangeError(`more than ${MAX_PENDING_TIMERS} timers are pending in this process (a timer set in a loop?)`);
    }
    const id = nextId++;
    // Node makes a delay that is not a number from 1 to 2^31-1 into 1 ms; on a virtual clock that is 0: due now,
    // run as soon as the process is done with what it is doing (nobody relies on the 1 ms).
    let delay = Number(ms);
    if (!(delay >= 0 && delay <= 2 ** 31 - 1)) delay = 0;
    const where = hooks.where?.();
    const timer: Timer = {
      id, at: hooks.now() + Math.trunc(delay), delay: Math.trunc(delay), ...(repeat ? { every: Math.trunc(delay) } : {}),
      ...(where ? { file: where.file, line: where.line } : {}),
      callback: callback as Callback, args,
    };
    live.set(id, timer);
    return new TimerHandle(id, () => {
      if (live.has(id)) timer.at = hooks.now() + timer.delay;
    });
  }


  function cancel(handle: unknown): void {
    live.delete(idOf(handle));
  }

  return {
    /** timers set and not yet fired or cleared, for the supervisor (by id: the order they were set in) */
    pending(): PendingTimer[] {
      return [...live.values()].map(({ callback: _callback, args: _args, ...info }) => info);
    },
    /** the supervisor says this timer is due: run it (an interval is due again `every` ms after now) */
    fire(id: number): void {
      const timer = live.get(id);
      if (!timer) return; // cleared since the supervisor last heard
      if (timer.every !== undefined) timer.at = hooks.now() + timer.every;
      else live.delete(id);
      hooks.before();
      try {
        timer.callback(...timer.args);
      } finally {
        hooks.after();
      }
    },
    /** forget every timer (the generation that set them is over) */
    clearAll(): void {
      live.clear();
    },
    globals: {
      setTimeout: (callback: unknown, ms?: unknown, ...args: unknown[]) => schedule(callback, ms, args, false),
      setInterval: (callback: unknown, ms?: unknown, ...args: unknown[]) => schedule(callback, ms, args, true),
      // runs once the process is done with what it is doing, at the same virtual time
      setImmediate: (callback: unknown, ...args: unknown[]) => schedule(callback, 0, args, false),
      clearTimeout: cancel,
      clearInterval: cancel,
      clearImmediate: cancel,
    },
  };
}

/** `node:timers` and `node:timers/promises` over a process's timers (a frozen copy per generation). */
export function timerModules(globals: ReturnType<typeof createTimers>['globals']) {
  const sleep = (ms?: unknown, value?: unknown) => new Promise((resolve) => globals.setTimeout(() => resolve(value), ms));
  const promises = {
    setTimeout: sleep,
    setImmediate: (value?: unknown) => new Promise((resolve) => globals.setImmediate(() => resolve(value))),
    /** `for await (const _ of setInterval(ms))`: one tick per interval, as Node's does */
    async *setInterval(ms?: unknown, value?: unknown) {
      for (;;) yield await sleep(ms, value);
    },
    scheduler: { wait: (ms?: unknown) => sleep(ms), yield: () => new Promise((resolve) => globals.setImmediate(resolve)) },
  };
  return { timers: hardenShared({ ...globals, promises }), 'timers/promises': hardenShared(promises) };
}
