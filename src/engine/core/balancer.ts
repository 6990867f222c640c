// The load balancer's policies: seeded-random (default), round-robin, and sticky-by-cookie (a violation lessons show).
import { pick, type Random } from './rng.ts';

export type BalancerPolicy = 'random' | 'round-robin' | 'sticky';

/** The cookie the sticky policy sets to pin a client to a process, as real balancers do. */
export const STICKY_COOKIE = 'dojo_lb';

export interface Candidate {
  name: string;
}

export class Balancer {
  policy: BalancerPolicy = 'random';
  #next = 0;
  readonly #random: Random;

  constructor(random: Random) {
    this.#random = random;
  }

  /** Choose among live candidates; `pinned` is the process named by the sticky cookie, if any. */
  choose<T extends Candidate>(candidates: readonly T[], pinned?: string): T {
    if (candidates.length === 0) throw new Error('no process is running to serve the request');
    if (this.policy === 'sticky' && pinned) {
      const match = candidates.find((candidate) => candidate.name === pinned);
      if (match) return match;
    }
    if (this.policy === 'round-robin') {
      const chosen = candidates[this.#next % candidates.length]!;
      this.#next += 1;
      return chosen;
    }
    return candidates[pick(this.#random, candidates.length)]!;
  }
}
