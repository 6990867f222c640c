// The trace of a test run: every request, process lifecycle event, backing-service call and log line.

export type TraceEvent =
  | { kind: 'start'; process: string; generation: number; startMs?: number }
  | { kind: 'stop'; process: string; generation: number; reason: string }
  | { kind: 'kill'; process: string; generation: number; reason: string }
  | { kind: 'crash'; process: string; generation: number; reason: string }
  | { kind: 'request'; id: number; method: string; path: string; process: string; generation: number; policy: string }
  | { kind: 'response'; id: number; status: number; process: string; generation: number; ms?: number; error?: string }
  | {
      kind: 'call';
      process: string;
      generation: number;
      requestId?: number;
      service: string;
      method: string;
      args: string;
      result?: string;
      error?: string;
    }
  | { kind: 'log'; process: string; generation: number; level: string; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'clock'; advancedBy: number }
  | { kind: 'release'; release: number; built: boolean }
  | { kind: 'chaos'; action: string; process: string }
  | { kind: 'fail'; message: string };

/** An event as stored: with its sequence number and the virtual time it happened at. */
export type StampedEvent = TraceEvent & { seq: number; at: number };

/** Fields that hold wall-clock timings: they differ between replays and are left out of comparisons. */
const TIMING_FIELDS = ['startMs', 'ms'] as const;

export class Trace {
  readonly events: StampedEvent[] = [];
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  add(event: TraceEvent): StampedEvent {
    const stamped = { ...event, seq: this.events.length + 1, at: this.#now() } as StampedEvent;
    this.events.push(stamped);
    return stamped;
  }
}

/** The trace without timings: two runs with the same seed give equal replays. */
export function replayable(events: readonly StampedEvent[]): unknown[] {
  return events.map((event) => {
    const copy: Record<string, unknown> = { ...event };
    for (const field of TIMING_FIELDS) delete copy[field];
    return copy;
  });
}

/** Short, single-line summary of a value for the trace (service arguments and results). */
export function summarize(value: unknown, max = 80): string {
  let text: string;
  if (value instanceof Uint8Array) text = `<${value.byteLength} bytes>`;
  else if (value instanceof ArrayBuffer) text = `<${value.byteLength} bytes>`;
  else if (value === undefined) text = 'undefined';
  else {
    try {
      text = JSON.stringify(value, (_key, inner) =>
        inner instanceof Uint8Array ? `<${inner.byteLength} bytes>` : inner,
      );
    } catch {
      text = String(value);
    }
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
