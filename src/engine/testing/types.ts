// The test API a kata's hidden and sample tests are written against (scenario, cluster, client, expect).
import type { KeyValue, ObjectStore, Queue, QueueCounts, Sql } from '../services/types.ts';
import type { StampedEvent, StreamCloseCause, Trace } from '../core/trace.ts';
import type { ServerSentEvent } from './sse.ts';

export type { ServerSentEvent, StreamCloseCause };
import type { ChaosOptions, ProcessRef } from '../core/cluster.ts';
import type { BalancerPolicy } from '../core/balancer.ts';

export type { BalancerPolicy, ChaosOptions, ProcessRef };

export interface Cluster {
  /** start processes per type, e.g. `{ web: 3 }`; runs the kata's build step first, once per release */
  start(counts: Record<string, number>): Promise<ProcessRef[]>;
  /** change how many processes of each type run */
  scale(counts: Record<string, number>): Promise<ProcessRef[]>;
  /** current processes (alive ones), optionally of one type */
  processes(type?: string): ProcessRef[];
  /** graceful restart: the module's `stop` hook runs, then memory and local disk are wiped; a new generation starts */
  restart(process: ProcessRef | string): Promise<ProcessRef>;
  /** restart every process (what a platform does on a config change or the daily cycle) */
  restartAll(): Promise<void>;
  /** hard kill: no hook runs, in-flight requests fail with 502; the platform starts a new generation */
  kill(process: ProcessRef | string): Promise<ProcessRef>;
  /**
   * a new release: build step, then a rolling restart of every process. The files the build leaves under public/
   * are served by the platform (`servedBy: 'assets'`); the previous release's files stay served too
   */
  deploy(): Promise<void>;
  /** how the load balancer picks a process; default 'random' (seeded) */
  balance(policy: BalancerPolicy): void;
  /**
   * resolves once every process has finished what it was doing: requests, jobs the queue could hand out, timers due
   * by now (the clock does not move), events written to open streams. An open stream waiting for something to
   * happen is not work: it never keeps this waiting. Every other cluster call and request waits for this first anyway.
   */
  idle(): Promise<void>;
  /** seeded chaos for every following request and job handed out; `chaos(null)` turns it off */
  chaos(options: ChaosOptions | null): void;
  /**
   * a look at a running process's local disk, once the cluster has finished what it was doing: to prove a request
   * left no temporary file behind (`(await cluster.disk('web.1')).files('/tmp')`)
   */
  disk(process: ProcessRef | string): Promise<ProcessDisk>;
}

/** One process's local disk as a test sees it. Paths are absolute, or relative to the app's folder (/app). */
export interface ProcessDisk {
  process: string;
  /** every file (absolute paths, sorted), or those under a folder */
  files(under?: string): string[];
  has(path: string): boolean;
  /** a file's text (UTF-8), or undefined when there is no such file */
  read(path: string): string | undefined;
  bytes(path: string): Uint8Array | undefined;
}

/** The job queue as a test sees it: what processes can do, and a look at every job. */
export interface TestQueue extends Queue {
  /** counts as of now, without a round trip */
  countsNow(queue: string): QueueCounts;
  /** every job (of one queue, or all), oldest first, with its state and attempts */
  jobs(queue?: string): QueueJob[];
  /**
   * hand a done job out once more, with the same id, as at-least-once queues sometimes do (SQS's duplicate
   * deliveries, BullMQ's stalled jobs): to prove a `queue(job, env)` handler is safe to run twice
   */
  redeliver(jobId: string): void;
}

export interface QueueJob {
  id: string;
  queue: string;
  data: unknown;
  state: 'waiting' | 'active' | 'done' | 'dead';
  attempt: number;
  attempts: number;
  enqueuedAt: number;
  lastError?: string;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** raw body */
  body?: string | Uint8Array;
  /** JSON body (sets content-type) */
  json?: unknown;
  /** urlencoded form body (sets content-type) */
  form?: Record<string, string>;
  /** multipart/form-data body: strings, or files `{ name, type, data }` */
  multipart?: Record<string, string | { name: string; type: string; data: Uint8Array | string }>;
  /**
   * send the request again, up to this many times, while it dies with its process (a 502 or 503 from the platform,
   * not from the app): what client libraries with retries do
   */
  retry?: number;
  /** an `Idempotency-Key` header, the same on every attempt (Stripe's pattern); `true` makes one for this request */
  idempotencyKey?: string | true;
}

/** A response, plus which process (and generation) served it. */
export interface TracedResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  /**
   * e.g. `web.2`; `balancer` when no process could answer; `assets` when the platform answered from a release's
   * public/ folder (no process saw the request); `storage` for a signed URL
   */
  servedBy: string;
  /** the process's generation; for `assets`, the release whose file answered */
  generation: number;
  /** the request's sequence number in the trace (of its last attempt) */
  requestId: number;
  /** how many times it was sent (more than 1 with `retry`) */
  attempts: number;
  text(): string;
  json<T = any>(): T;
  bytes(): Uint8Array;
}

/** A browser-like client: it keeps cookies between requests, as a user's browser would. */
export interface Client {
  get(path: string, options?: RequestOptions): Promise<TracedResponse>;
  post(path: string, options?: RequestOptions): Promise<TracedResponse>;
  put(path: string, options?: RequestOptions): Promise<TracedResponse>;
  delete(path: string, options?: RequestOptions): Promise<TracedResponse>;
  request(method: string, path: string, options?: RequestOptions): Promise<TracedResponse>;
  /**
   * open a server-sent events connection, as a browser's `new EventSource(path)` does: resolves once the app has
   * answered (the head), then collects events as they arrive (`await cluster.idle()` or `clock.advance(ms)` lets
   * them flow). When the connection dies (its process killed, restarted or stopped, or the app ends it), it
   * reconnects through the balancer after the stream's `retry:` delay (3 s unless it says otherwise) of virtual
   * time, sending `Last-Event-ID`, unless `reconnect: false`.
   */
  events(path: string, options?: EventStreamOptions): Promise<EventStream>;
  /** the cookies this client holds */
  cookies(): Record<string, string>;
  /** replace one cookie's value (to play a tampering user) */
  setCookie(name: string, value: string): void;
}

export interface EventStreamOptions {
  headers?: Record<string, string>;
  /** send this as `Last-Event-ID` on the first connection (a client that resumes where it was) */
  lastEventId?: string;
  /** reconnect when the connection dies, as EventSource does; default true */
  reconnect?: boolean;
}

/**
 * How a connection ended: a cause the platform saw (see StreamCloseCause: `app`, `error`, `limit`, `client`,
 * `killed`, `crashed`, `stopped`), `unreachable` (the platform answered 502/503: no process could take it; it
 * retries), or `failed` (the app answered something that is not an event stream: EventSource gives up).
 */
export interface StreamEnding {
  cause: StreamCloseCause | 'unreachable' | 'failed';
  /** in words, for people */
  reason: string;
}

/** A server-sent events connection (see Client.events): what it has received so far, across reconnects. */
export interface EventStream {
  /** as EventSource's readyState: `open`, `connecting` (waiting to reconnect, or reconnecting), `closed` (for good) */
  readonly state: 'connecting' | 'open' | 'closed';
  /** the current connection is not open (see `ended` for why, and `state` for whether it reconnects) */
  readonly closed: boolean;
  /** how the last connection ended; undefined while the first one is open */
  readonly ended: StreamEnding | undefined;
  /** every event received so far, on every connection, in order */
  readonly events: ServerSentEvent[];
  /** the `data` of every event so far */
  data(): string[];
  /** of the current (or last) connection */
  readonly status: number;
  readonly headers: Headers;
  readonly servedBy: string;
  readonly generation: number;
  /** connections made so far (1, then one more per reconnect) */
  readonly connections: number;
  /** the last `id:` the stream sent: sent as `Last-Event-ID` when it reconnects */
  readonly lastEventId: string;
  /** how long it waits before reconnecting, in ms of virtual time (the stream's `retry:`, else 3000) */
  readonly retry: number;
  /** hang up, for good (the app's stream is cancelled: its `cancel()` runs) */
  close(): Promise<void>;
}

export interface Assertion<T> {
  toBe(expected: T): void;
  toEqual(expected: unknown): void;
  toBeTruthy(): void;
  toBeFalsy(): void;
  toContain(part: unknown): void;
  toMatch(pattern: RegExp): void;
  toBeGreaterThan(n: number): void;
  toBeLessThan(n: number): void;
  toBeOneOf(values: readonly T[]): void;
  not: Omit<Assertion<T>, 'not'>;
}

/** `expect(actual, because)`: `because` is the learner-facing explanation, written in plain words. */
export type Expect = <T>(actual: T, because?: string) => Assertion<T>;

export interface TestContext {
  cluster: Cluster;
  /** a new browser-like client with an empty cookie jar */
  client(): Client;
  /**
   * the virtual clock the services and each process's `Date.now()` follow. `await clock.advance(ms)`: every
   * process timer due on the way fires, in order, at its time; the promise settles once the clock is there
   */
  clock: { now(): number; advance(ms: number): Promise<void> };
  /** the backing services, to arrange or inspect state directly (these calls are not traced as process calls) */
  services: { kv: KeyValue; objects: ObjectStore; db: Sql; queue: TestQueue };
  expect: Expect;
  /** fail right away with a learner-facing message */
  fail(message: string): never;
  /** add a note to the trace (shown on the timeline) */
  note(text: string): void;
  /** the trace so far */
  trace: Trace;
  /** the seeded random generator of this test (for test data that must replay) */
  random(): number;
}

export interface TestDefinition {
  name: string;
  run(ctx: TestContext): Promise<void>;
  /** per-test time limit in ms (default 120000: a last resort, see DEFAULT_TEST_TIMEOUT_MS) */
  timeout?: number;
}

export type TestStatus = 'pass' | 'fail' | 'error';

export interface TestResult {
  name: string;
  status: TestStatus;
  /** learner-facing explanation; empty when passed */
  message: string;
  seed: number;
  durationMs: number;
  events: StampedEvent[];
  /** where the learner's code failed, when it did (for editor markers) */
  location?: { file: string; line: number; column: number };
}

export type { Trace, StampedEvent };
