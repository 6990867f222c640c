// The wall-clock last resort against a process that never answers. Runaway work is caught by counting steps (see
// instrument.ts); this only notices a process that has nothing left to run yet owes an answer (a promise that never
// settles), or one that keeps going far beyond reason. Time while the machine itself is stalled does not count.

export type Expiry = 'idle' | 'last-resort';

export interface WatchOptions {
  /** the process has nothing to run: no message unhandled, no backing-service call or timer pending */
  idle(): boolean;
  /** it is waiting on a backing service: that time is the service's, not the process's */
  waitingOnService(): boolean;
  /** the process still owes an answer (a request in flight, a start-up not finished) */
  owes(): boolean;
  idleMs: number;
  lastResortMs: number;
  onExpire(kind: Expiry): void;
}

/** Checks this often; a check that comes this much later than asked means the machine, not the process, is slow. */
const MAX_TICK_MS = 250;
const STALL_MS = 1000;

export interface Watch {
  /** the process did something: its idle spell (if any) starts again */
  poke(): void;
  stop(): void;
}

export function watch(options: WatchOptions): Watch {
  const tick = Math.max(10, Math.min(MAX_TICK_MS, options.idleMs / 4));
  let idleFor = 0;
  let ownFor = 0;
  let last = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const check = () => {
    if (stopped) return;
    const now = performance.now();
    const elapsed = now - last;
    last = now;
    if (!options.owes()) {
      idleFor = 0;
      ownFor = 0;
    } else if (elapsed - tick < STALL_MS) {
      // A late check means this thread was starved (a busy machine): that spell counts for nobody.
      idleFor = options.idle() ? idleFor + elapsed : 0;
      if (!options.waitingOnService()) ownFor += elapsed;
      if (idleFor >= options.idleMs) return options.onExpire('idle');
      if (ownFor >= options.lastResortMs) return options.onExpire('last-resort');
    }
    timer = setTimeout(check, tick);
  };
  // Not unref'd: while a process owes an answer, the test is waiting for it, and so is this thread.
  timer = setTimeout(check, tick);
  return {
    poke() {
      idleFor = 0;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
