// Seeded chaos: which process a test's schedule restarts or kills, before or in the middle of a request.
import type { Random } from '../rng.ts';
import type { Slot } from './slot.ts';

export interface ChaosOptions {
  /** probability, per request, that a process is restarted (or killed) just before the request is routed */
  restart?: number;
  /**
   * probability, per request, that the process serving it is killed while it is handling it: at one of its
   * backing-service calls (before the call is served) or just before its answer leaves, at a point the seed picks
   */
  midRequest?: number;
  /**
   * with `midRequest`: kill at this backing-service call of the request (1 = its first), or just before its answer
   * leaves if it makes fewer calls, instead of at a moment the seed picks. A test that must show what a kill at one
   * exact step does (between recording an order and charging it) then fails the same way on every seed.
   */
  atCall?: number;
  /**
   * probability, per job handed to a worker, that the worker is killed while it works on it: at one of its
   * backing-service calls or just before it acknowledges the job (the job comes back after its visibility time-out)
   */
  midJob?: number;
  /** kill (no shutdown hook) instead of a graceful restart */
  kill?: boolean;
}

/** The process to restart (or kill) before this request, if the dice say so. Draws from `random` in a fixed order. */
export function victimBeforeRequest(chaos: ChaosOptions | null, random: Random, ready: readonly Slot[]): Slot | undefined {
  if (!chaos?.restart || random() >= chaos.restart) return undefined;
  if (ready.length === 0) return undefined;
  return ready[Math.floor(random() * ready.length)];
}

/** Whether the process that serves this request is killed while it handles it. */
export function killsMidRequest(chaos: ChaosOptions | null, random: Random): boolean {
  return Boolean(chaos?.midRequest && random() < chaos.midRequest);
}

/** Checks a test's chaos options, so a typo fails with a message instead of quietly meaning "no chaos". */
export function checkChaos(chaos: ChaosOptions): void {
  for (const key of ['restart', 'midRequest', 'midJob'] as const) {
    const value = chaos[key];
    if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) throw new RangeError(`chaos: ${key} is a probability from 0 to 1, got ${String(value)}`);
  }
  if (chaos.atCall !== undefined && !(Number.isInteger(chaos.atCall) && chaos.atCall >= 1)) throw new RangeError(`chaos: atCall counts backing-service calls from 1, got ${String(chaos.atCall)}`);
  if (chaos.atCall !== undefined && !chaos.midRequest) throw new RangeError('chaos: atCall says where a mid-request kill lands; give midRequest too');
}

/** Whether the worker a job was just handed to is killed while it works on it. */
export function killsMidJob(chaos: ChaosOptions | null, random: Random): boolean {
  return Boolean(chaos?.midJob && random() < chaos.midJob);
}
