// The trace of a test run: every request, process lifecycle event, backing-service call and log line.

/** A place in the learner's files. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/**
 * Why a process generation ended, as data: modules compare codes, `story` turns them into words at the edge.
 * Graceful stops: `restart`, `scale-down`, `chaos-restart`. Kills (no hook ran): `kill`, `chaos-kill`,
 * `chaos-mid-request`, `grace-expired` (its shutdown outran the grace period). Crashes: `uncaught`, `rejection`, `exit`, `runaway` (over its step, call or memory budget),
 * `never-settles` (owed an answer with nothing left to run), `last-resort`, `boot-error` (start-up threw),
 * `bad-message` (sent the supervisor something malformed), `died` (the isolate itself died).
 */
export type EndCause =
  | 'restart' | 'scale-down' | 'chaos-restart'
  | 'kill' | 'chaos-kill' | 'chaos-mid-request' | 'chaos-mid-job' | 'grace-expired'
  | 'uncaught' | 'rejection' | 'exit' | 'runaway' | 'never-settles' | 'last-resort' | 'boot-error' | 'bad-message' | 'died';

export type EndKind = 'stop' | 'kill' | 'crash';

/**
 * Why a streamed response (server-sent events) ended: the app closed it (`app`) or its body errored (`error`); it
 * went over the platform's cap (`limit`); the client hung up (`client`); or its process ended: killed or crashed
 * (`killed`, `crashed`: cut off at once) or stopped gracefully (`stopped`: closed once its shutdown was over).
 */
export type StreamCloseCause = 'app' | 'error' | 'limit' | 'client' | 'killed' | 'crashed' | 'stopped';

export type JobAction = 'deliver' | 'done' | 'retry' | 'dead' | 'lost' | 'stale';

/** What the platform did with a request for a public file: served it, answered 304 (unchanged), or refused the path. */
export type AssetAction = 'serve' | 'not-modified' | 'refused';

/** How a process generation ended: `reason` in words (for people), `cause` as a code (for modules). */
interface Ended {
  process: string;
  generation: number;
  reason: string;
  cause: EndCause;
  location?: SourceLocation;
}

/*
 * `work` (on start, response and release): the steps (loop iterations and function calls, see core/instrument.ts)
 * the code ran for its start-up, for that request, or for the build: how much it did, on any machine.
 */
export type TraceEvent =
  | { kind: 'start'; process: string; generation: number; startMs?: number; work?: number }
  | ({ kind: 'stop' } & Ended)
  | ({ kind: 'kill' } & Ended)
  | ({ kind: 'crash' } & Ended)
  // body: the request's or response's body as text (clipped), or `<N bytes>` when it is not text; absent when empty
  | { kind: 'request'; id: number; method: string; path: string; process: string; generation: number; policy: string; body?: string }
  | { kind: 'response'; id: number; status: number; process: string; generation: number; ms?: number; error?: string; body?: string; work?: number }
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
      /** the arguments and result in full (clipped at MAX_VALUE_CHARS), present only when `args` or `result` was shortened */
      full?: { args: string; result?: string };
    }
  | {
      kind: 'log';
      process: string;
      generation: number;
      level: string;
      text: string;
      /** set when the platform wrote the line: `uncaught-in-fetch` is an error the app's fetch() threw */
      cause?: 'uncaught-in-fetch';
      /** for `uncaught-in-fetch`: the error, described ("TypeError: … (app.ts:3:5)") */
      error?: string;
      location?: SourceLocation;
    }
  | { kind: 'note'; text: string }
  /** the virtual clock moved: by the test, or by itself while `waitedFor` (a process) owed an answer and waited on a timer */
  | { kind: 'clock'; advancedBy: number; waitedFor?: string }
  /** a process's timer fired, or was dropped because its process ended first */
  | {
      kind: 'timer';
      action: 'fire' | 'drop';
      process: string;
      generation: number;
      id: number;
      /** the delay it was set with; `every` for an interval */
      delay: number;
      every?: number;
      file?: string;
      line?: number;
    }
  /**
   * the job queue: a job handed to a process, finished, failed (to be retried, or dead), lost with the process that
   * held it (back when its visibility time-out ends), or finished too late (it had been handed to another already)
   */
  | {
      kind: 'job';
      action: JobAction;
      queue: string;
      job: string;
      attempt: number;
      attempts: number;
      process?: string;
      generation?: number;
      /** the handler's error (retry, dead) */
      error?: string;
      /** virtual time it can be delivered again (retry, lost) */
      visibleAt?: number;
      /** the process that held it before its visibility time-out ran out (deliver) */
      previousHolder?: string;
    }
  /**
   * a streamed response (server-sent events): opened (its head reached the client), a chunk sent (`text`: what it
   * said, clipped), closed (`cause`, and `error` for an error or a limit)
   */
  | {
      kind: 'stream';
      action: 'open' | 'event' | 'close';
      /** the request that opened it */
      id: number;
      process: string;
      generation: number;
      path: string;
      text?: string;
      cause?: StreamCloseCause;
      error?: string;
    }
  | { kind: 'release'; release: number; built: boolean; work?: number }
  /**
   * the platform answered a GET or HEAD from a release's public/ folder (a CDN in front of the app): no process saw
   * it. `release` is the release whose file answered (0 when the path was refused); `cache` says whether its name
   * is fingerprinted (`immutable`: cached for a year) or not (`revalidate`: checked with its ETag on every use)
   */
  | {
      kind: 'asset';
      id: number;
      method: string;
      path: string;
      action: AssetAction;
      status: number;
      release: number;
      cache?: 'immutable' | 'revalidate';
      error?: string;
    }
  | { kind: 'chaos'; action: string; process: string }
  | { kind: 'fail'; message: string };

/** An event as stored: with its sequence number and the virtual time it happened at. */
export type StampedEvent = TraceEvent & { seq: number; at: number };

/**
 * Fields that hold wall-clock timings: they differ between replays and are left out of comparisons. So is `work`:
 * counted, not timed, but a request's share of it depends on when platform work (crypto.subtle) settles.
 */
const TIMING_FIELDS = ['startMs', 'ms', 'work'] as const;

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

/** How much of a body or a stored value the trace keeps: enough to read it, not enough to flood the page. */
export const MAX_VALUE_CHARS = 2000;

/** A request's or response's body for the trace: its text (clipped), `<N bytes>` when it is not text, undefined when empty. */
export function bodyText(body: Uint8Array | null | undefined): string | undefined {
  if (!body || body.byteLength === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return `<${body.byteLength} bytes>`;
  }
  // Control characters other than tab and line breaks mean it is binary that happens to be valid UTF-8.
  if (/[\u0000-\u0008\u000e-\u001f]/.test(text)) return `<${body.byteLength} bytes>`;
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
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
