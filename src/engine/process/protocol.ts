// The messages between the supervisor and a process, and the port each host gives the supervisor.

export interface WireRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array | null;
}

export interface WireResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** An error that crossed the wire, with where it happened in the learner's files when known. */
export interface WireError {
  name: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  stack?: string;
}

export interface ProcessInfo {
  name: string;
  type: string;
  index: number;
  generation: number;
  /** seeds Math.random and crypto.randomUUID inside the process */
  seed: number;
}

/** A timer a process has set and not yet fired or cleared, as it reports it in its idle report. */
export interface PendingTimer {
  /** ids count up in the order timers were set */
  id: number;
  /** virtual time it is due at, in ms since the epoch */
  at: number;
  /** the delay it was set with (0 for setImmediate) */
  delay: number;
  /** for setInterval: due again this many ms after it fires */
  every?: number;
  /** where the learner's code set it */
  file?: string;
  line?: number;
}

export type ToProcess =
  | {
      t: 'boot';
      /** compiled CommonJS code per learner file path */
      modules: Record<string, string>;
      /** the learner's sources: error columns are mapped back to them */
      sources: Record<string, string>;
      entry: string;
      info: ProcessInfo;
      /** the release's files: every generation's local disk starts from these */
      disk: Record<string, Uint8Array>;
      vars: Record<string, string>;
      now: number;
      /** the work budget (steps per macrotask, backing-service calls per busy spell); defaults when left out */
      budget?: { steps?: number; calls?: number };
    }
  | { t: 'request'; id: number; request: WireRequest; now: number }
  | { t: 'return'; cid: number; ok: true; value: unknown }
  | { t: 'return'; cid: number; ok: false; error: string }
  | { t: 'stop'; now: number }
  /** a job from the queue for this consumer's `queue(job, env)` handler; `delivery` identifies this hand-over */
  | { t: 'job'; delivery: number; job: { id: string; queue: string; data: unknown; attempt: number; attempts: number; enqueuedAt: number }; now: number }
  /** a timer is due: run its callback with the clock at `now` */
  | { t: 'fire'; id: number; now: number }
  /** a message published to a channel this process subscribed to */
  | { t: 'message'; channel: string; message: string; now: number }
  /** a test looks at the process's local disk: answer with every file on it */
  | { t: 'inspect-disk'; ask: number }
  /** the client hung up on a streamed response (or the platform closed it): cancel its body, so the app's cancel() runs */
  | { t: 'cancel'; id: number; reason: string }
  | { t: 'build'; now: number };

export type FromProcess =
  /**
   * started; `consumer`: its module has a `queue(job, env)` handler, so the queue's jobs go to it. `work` (here, on
   * `response` and on `built`): the steps its code ran since its last report (start-up, a request, the build)
   */
  | { t: 'ready'; consumer?: boolean; work?: number }
  /** its job handler returned: acknowledge the job */
  | { t: 'job-done'; delivery: number }
  /** its job handler threw */
  | { t: 'job-error'; delivery: number; error: WireError }
  | { t: 'boot-error'; error: WireError }
  | { t: 'response'; id: number; response: WireResponse; work?: number }
  /**
   * the head of a streamed response (its body was a ReadableStream): status and headers, an empty body; its chunks
   * follow as they are enqueued, then `stream-end`
   */
  | { t: 'stream'; id: number; response: WireResponse }
  | { t: 'chunk'; id: number; bytes: Uint8Array }
  /** the stream ended: closed by the app, errored (`error`), or over the platform's cap (`limit`) */
  | { t: 'stream-end'; id: number; error?: WireError; limit?: 'bytes' | 'chunks' }
  | { t: 'request-error'; id: number; error: WireError }
  | { t: 'call'; cid: number; service: string; method: string; args: unknown[] }
  | { t: 'log'; level: string; text: string }
  | { t: 'fatal'; error: WireError; cause: 'uncaught' | 'rejection' }
  | { t: 'exit'; code: number }
  | { t: 'stopped' }
  /**
   * nothing left to run until the next message: `seen` messages received so far (the supervisor orders on it), and
   * the timers it has pending (the supervisor fires them when the virtual clock reaches them)
   */
  | { t: 'idle'; seen: number; timers: PendingTimer[] }
  /** it went over its work budget (an infinite loop?): end it, whatever its code does with the error it was thrown */
  | { t: 'runaway'; kind: 'steps' | 'calls' | 'memory'; limit: number; error: WireError }
  | { t: 'built'; disk: Record<string, Uint8Array>; work?: number }
  /** the answer to `inspect-disk`: every file on its local disk, by absolute path */
  | { t: 'disk'; ask: number; files: Record<string, Uint8Array> }
  | { t: 'build-error'; error: WireError };

/** One isolated process as a host gives it to the supervisor: its own memory, its own disk. */
export interface ProcessPort {
  send(message: ToProcess): void;
  onMessage(listener: (message: FromProcess) => void): void;
  /** the isolate died by itself (out of memory, a crash our handlers could not catch) */
  onDeath(listener: (reason: string) => void): void;
  /** end it now: no hook runs (SIGKILL) */
  terminate(): void;
  /**
   * End this generation: the host may reuse the isolate for another generation (a fresh runtime and Compartment,
   * once the isolate has answered a reset) instead of starting a new one. The generation's code may still be running;
   * nothing it does after the reset is heard. Hosts without it only terminate.
   */
  release?(): void;
}

/** What runs processes: worker_threads in Node, Web Workers in the browser. */
export interface ProcessHost {
  readonly name: string;
  spawn(): Promise<ProcessPort>;
  dispose(): Promise<void>;
}
