// Seed-ordered delivery: what processes say is handled in an order the seed decides, never in thread timing's.
import type { FromProcess, ProcessPort } from '../../process/protocol.ts';
import { byName, caughtUp, type Slot } from './slot.ts';

/** Messages whose order between processes shows in the trace (and so in a replay). */
const ORDERED = new Set<FromProcess['t']>(['call', 'response', 'request-error', 'log', 'stream', 'chunk', 'stream-end']);

/**
 * While one process runs, another's calls, answers and console lines wait, and are handled (by process name, each
 * in its own order) once every process has run all it can. With one process running nothing waits, so sequential
 * tests pay nothing.
 */
export class Ordering {
  readonly #slots: () => Iterable<Slot>;
  readonly #handle: (slot: Slot, port: ProcessPort, message: FromProcess) => void;

  constructor(slots: () => Iterable<Slot>, handle: (slot: Slot, port: ProcessPort, message: FromProcess) => void) {
    this.#slots = slots;
    this.#handle = handle;
  }

  /** Handle a message now, or hold it back until every other process has caught up. */
  offer(slot: Slot, port: ProcessPort, message: FromProcess): void {
    if (!ORDERED.has(message.t)) return this.#handle(slot, port, message);
    const othersQuiet = [...this.#slots()].every(
      (other) => other === slot || !other.port || (caughtUp(other) && other.outbox.length === 0),
    );
    if (othersQuiet && slot.outbox.length === 0) this.#handle(slot, port, message);
    else slot.outbox.push(message);
  }

  /** Once every live process has caught up, handle what was held back, by process name. */
  flush(): void {
    const live = [...this.#slots()].filter((slot) => slot.port);
    if (!live.every(caughtUp)) return;
    for (const slot of live.sort((a, b) => byName(a.ref.name, b.ref.name))) {
      for (const message of slot.outbox.splice(0)) if (slot.port) this.#handle(slot, slot.port, message);
    }
  }

  /** What a generation said before it ended still happened: its console lines and answers (its calls die with it). */
  flushEnded(slot: Slot): void {
    const port = slot.port;
    if (!port) return;
    for (const message of slot.outbox.splice(0)) if (message.t !== 'call') this.#handle(slot, port, message);
  }
}
