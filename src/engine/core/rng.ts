// Seeded randomness: the same seed gives the same balancer picks, chaos and process randomness.

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
export type Random = () => number;

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed derived from parts (FNV-1a), so each test and process gets its own stream. */
export function deriveSeed(...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A random integer in [0, n). */
export function pick(random: Random, n: number): number {
  return Math.floor(random() * n);
}

/** A fresh seed for a new run (not reproducible by design). */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}
