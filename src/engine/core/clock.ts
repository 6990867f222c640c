// A virtual clock that only moves when told to, so expiry and timestamps are deterministic in katas and tests.

function checkMs(ms: number, what: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`VirtualClock.${what}: expected a finite number of milliseconds >= 0, got ${String(ms)}`);
  }
  return ms;
}

export class VirtualClock {
  #now: number;

  constructor(start: number = Date.UTC(2026, 0, 1)) {
    this.#now = checkMs(start, 'constructor');
  }

  /** current virtual time, in ms since the epoch */
  now(): number {
    return this.#now;
  }

  /** move forward by `ms` milliseconds */
  advance(ms: number): void {
    this.#now += checkMs(ms, 'advance');
  }

  /** jump to an absolute time (may go backwards, e.g. to replay a scenario) */
  set(ms: number): void {
    this.#now = checkMs(ms, 'set');
  }
}
