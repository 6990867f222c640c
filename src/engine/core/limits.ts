// Every cap the platform puts on a process, in one place: the supervisor enforces them, the runtime only keeps a
// flood from crossing the channel at all.

/**
 * Verdicts never depend on the machine's speed: runaway work is caught by a budget of steps and calls, counted in
 * the process. The two times here are last resorts, counted only while the machine is not stalled.
 */
export interface ClusterLimits {
  /** a process that owes an answer and has had nothing left to run this long is ended (a promise that never settles) */
  idleTimeoutMs: number;
  /** a process that owes an answer is ended after this much of its own time, whatever it is doing */
  lastResortMs: number;
  /** work per process: steps per macrotask, backing-service calls per busy spell (see process/runtime.ts) */
  budget?: { steps?: number; calls?: number };
}

export const DEFAULT_LIMITS: ClusterLimits = { idleTimeoutMs: 5000, lastResortMs: 60_000 };

/** Console output: a flood must not swamp a run, its trace or the page that draws it. */
export const LOG_LIMITS = {
  /** lines one process generation may log; the next is replaced by a note, the rest dropped */
  linesPerGeneration: 500,
  /** characters a line keeps in the trace; longer ones are cut, saying by how much */
  charsPerLine: 2000,
  /**
   * what a process sends at most: one line more than the trace keeps (so the supervisor sees that the cap was
   * reached), and characters enough for the supervisor to say how long a cut line was
   */
  sentLines: 501,
  sentChars: 1_000_000,
} as const;

/** Timers one process may have pending: more is a runaway (a timer set in a loop that never stops). */
export const MAX_PENDING_TIMERS = 10_000;

/**
 * Virtual time a stopping process gets to finish its requests and its shutdown hooks, as platforms give it
 * (Heroku and Kubernetes: 30 s after SIGTERM, then SIGKILL).
 */
export const GRACE_PERIOD_MS = 30_000;

/**
 * The job queue's defaults, as managed queues set them: SQS's visibility time-out is 30 s, and a job is tried a few
 * times (with a back-off that doubles: 1 s, 2 s, 4 s…) before it goes to the dead-letter list.
 */
export const QUEUE_DEFAULTS = { visibilityTimeoutMs: 30_000, attempts: 5, backoffMs: 1_000 } as const;

/**
 * A streamed response (server-sent events) is long-lived but not unbounded: a process that sends more than this on
 * one stream has it closed by the platform, as proxies cap a response. A client reconnects (EventSource does).
 */
export const STREAM_LIMITS = { chunks: 10_000, bytes: 1024 * 1024 } as const;
