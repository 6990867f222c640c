// Which timer fires next: the earliest due first; at the same time, one process's in the order they were set, and
// between processes in an order the seed decides (never thread timing's).
import type { PendingTimer } from '../../process/protocol.ts';
import { pick, type Random } from '../rng.ts';
import { byName, type Slot } from './slot.ts';

export interface DueTimer {
  slot: Slot;
  timer: PendingTimer;
}

/** The earliest time any of these processes has a timer due, if any. */
export function earliestTimer(slots: readonly Slot[]): number | undefined {
  let earliest: number | undefined;
  for (const slot of slots) for (const timer of slot.timers) if (earliest === undefined || timer.at < earliest) earliest = timer.at;
  return earliest;
}

/** The next timer due at or before `until`, or none. Draws from `random` only to break a tie between processes. */
export function nextTimer(slots: readonly Slot[], until: number, random: Random): DueTimer | undefined {
  const at = earliestTimer(slots);
  if (at === undefined || at > until) return undefined;
  const tied = slots.filter((slot) => slot.timers.some((timer) => timer.at === at)).sort((a, b) => byName(a.ref.name, b.ref.name));
  const slot = tied.length === 1 ? tied[0]! : tied[pick(random, tied.length)]!;
  const timer = slot.timers.filter((candidate) => candidate.at === at).sort((a, b) => a.id - b.id)[0]!;
  return { slot, timer };
}
