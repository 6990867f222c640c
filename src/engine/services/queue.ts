// A job queue with at-least-once delivery, as managed queues give it (SQS, BullMQ, a Redis list with a processing
// list): jobs wait, are handed to one worker at a time with a visibility time-out, are acknowledged or retried, and
// go to a dead-letter list after too many attempts. The supervisor delivers; processes only enqueue.
import { QUEUE_DEFAULTS } from '../core/limits.ts';
import type { EnqueueOptions, Job, Queue, QueueCounts } from './types.ts';

export type { EnqueueOptions, Job, Queue, QueueCounts } from './types.ts';


type JobState = 'waiting' | 'active' | 'done' | 'dead';

/** A job as the queue keeps it. */
export interface StoredJob extends Job {
  state: JobState;
  /** the job can be delivered from this time on (waiting), or becomes visible again then (active) */
  visibleAt: number;
  /** the delivery that may acknowledge it; an older one's word no longer counts (it timed out, was redelivered) */
  delivery: number;
  /** the process holding it, while active */
  holder?: string;
  /** the last failure's message */
  lastError?: string;
  seq: number;
}

export type Settled =
  | { outcome: 'done' }
  | { outcome: 'retry'; visibleAt: number }
  | { outcome: 'dead' }
  /** the delivery was no longer the job's current one (its visibility time-out passed and it went to another) */
  | { outcome: 'stale' };

/** A schedule of the platform's (kata.json): the same as a process's `repeat`, named. */
export interface PlatformSchedule {
  name: string;
  queue: string;
  everyMs: number;
  data?: unknown;
}

/** A repeating schedule: the queue adds a job at each multiple of `everyMs`. */
interface Schedule {
  queue: string;
  key: string;
  data: unknown;
  everyMs: number;
  attempts: number;
  /** when the next run's job is added */
  next: number;
}

const MAX_QUEUE_NAME = 200;
const MIN_REPEAT_MS = 60_000;
const MAX_JOBS = 100_000;

export class MemoryQueue implements Queue {
  readonly #clock: { now(): number };
  readonly #jobs = new Map<string, StoredJob>();
  readonly #schedules = new Map<string, Schedule>();
  #seq = 0;
  #delivery = 0;

  constructor(clock: { now(): number }) {
    this.#clock = clock;
  }

  // ---- what processes call ----

  async enqueue(queue: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    const name = queueName(queue, 'enqueue');
    if (options === null || typeof options !== 'object') throw new TypeError('queue.enqueue(queue, data, options): options must be an object');
    const delay = options.delayMs ?? 0;
    if (!Number.isFinite(delay) || delay < 0) throw new RangeError(`queue.enqueue: delayMs must be a number of milliseconds >= 0, got ${String(options.delayMs)}`);
    const attempts = options.attempts ?? QUEUE_DEFAULTS.attempts;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 100) throw new RangeError(`queue.enqueue: attempts must be a whole number from 1 to 100, got ${String(options.attempts)}`);
    if (options.jobId !== undefined && (typeof options.jobId !== 'string' || options.jobId === '' || options.jobId.length > 200)) {
      throw new TypeError('queue.enqueue: jobId must be a non-empty string of at most 200 characters');
    }
    if (options.repeat !== undefined) return this.#schedule(name, data, options.repeat, options.jobId ?? 'default', attempts);
    const id = options.jobId === undefined ? `${name}-${this.#seq + 1}` : `${name}:${options.jobId}`;
    if (this.#jobs.has(id)) return id;
    if (this.#jobs.size >= MAX_JOBS) throw new Error(`queue.enqueue: the queue holds ${MAX_JOBS} jobs, the most it can`);
    const now = this.#clock.now();
    this.#add(id, name, structuredClone(data), attempts, now, now + delay);
    return id;
  }

  /**
   * A schedule the platform declares (kata.json's `schedules`), as a process declares one with `repeat`: its jobs are
   * `<queue>:<name>@<time of the run>`.
   */
  declare(schedule: PlatformSchedule): string {
    return this.#schedule(queueName(schedule.queue, 'schedule'), schedule.data ?? null, { everyMs: schedule.everyMs }, schedule.name, QUEUE_DEFAULTS.attempts);
  }

  /** Declare (or re-declare, from another process) a repeating schedule; returns its id. */
  #schedule(queue: string, data: unknown, repeat: { everyMs: number }, key: string, attempts: number): string {
    const every = repeat?.everyMs;
    if (!Number.isInteger(every) || every < MIN_REPEAT_MS) {
      throw new RangeError(`queue.enqueue: repeat.everyMs must be a whole number of milliseconds, at least ${MIN_REPEAT_MS} (a minute, as cron), got ${String(every)}`);
    }
    const id = `${queue}:${key}`;
    const existing = this.#schedules.get(id);
    const now = this.#clock.now();
    // The same schedule declared again keeps its next run (every process declares it at start-up).
    const next = existing && existing.everyMs === every ? existing.next : (Math.floor(now / every) + 1) * every;
    this.#schedules.set(id, { queue, key, data: structuredClone(data), everyMs: every, attempts, next });
    return id;
  }

  /** Add the job of every schedule due by `now`: one for the latest run due (runs missed meanwhile are not piled up). */
  #runSchedules(now: number): void {
    for (const schedule of this.#schedules.values()) {
      if (schedule.next > now) continue;
      const at = schedule.next + Math.floor((now - schedule.next) / schedule.everyMs) * schedule.everyMs;
      schedule.next = at + schedule.everyMs;
      const id = `${schedule.queue}:${schedule.key}@${new Date(at).toISOString()}`;
      if (!this.#jobs.has(id) && this.#jobs.size < MAX_JOBS) this.#add(id, schedule.queue, structuredClone(schedule.data), schedule.attempts, at, at);
    }
  }

  #add(id: string, queue: string, data: unknown, attempts: number, enqueuedAt: number, visibleAt: number): void {
    this.#seq += 1;
    this.#jobs.set(id, { id, queue, data, attempt: 0, attempts, enqueuedAt, state: 'waiting', visibleAt, delivery: 0, seq: this.#seq });
  }

  async counts(queue: string): Promise<QueueCounts> {
    return this.countsNow(queueName(queue, 'counts'));
  }

  // ---- what the supervisor and tests use ----

  /** Counts as of now (a job whose visibility time-out has passed counts as waiting again). */
  countsNow(queue: string): QueueCounts {
    const now = this.#clock.now();
    this.#runSchedules(now);
    const counts: QueueCounts = { waiting: 0, delayed: 0, active: 0, done: 0, dead: 0 };
    for (const job of this.#jobs.values()) {
      if (job.queue !== queue) continue;
      if (job.state === 'done' || job.state === 'dead') counts[job.state] += 1;
      else if (job.visibleAt > now) counts[job.state === 'active' ? 'active' : 'delayed'] += 1;
      else counts.waiting += 1;
    }
    return counts;
  }

  /** Every job of a queue (or of all queues), oldest first: what a test inspects. */
  jobs(queue?: string): StoredJob[] {
    this.#runSchedules(this.#clock.now());
    return [...this.#jobs.values()].filter((job) => queue === undefined || job.queue === queue).map((job) => structuredClone(job));
  }

  /** The job to deliver next at `now`: the one visible longest, then the oldest. */
  next(now: number): StoredJob | undefined {
    this.#runSchedules(now);
    let best: StoredJob | undefined;
    for (const job of this.#jobs.values()) {
      if ((job.state !== 'waiting' && job.state !== 'active') || job.visibleAt > now) continue;
      if (!best || job.visibleAt < best.visibleAt || (job.visibleAt === best.visibleAt && job.seq < best.seq)) best = job;
    }
    return best;
  }

  /** The earliest time after `now` a job becomes deliverable, if any. */
  nextVisibleAfter(now: number): number | undefined {
    let at: number | undefined;
    for (const schedule of this.#schedules.values()) if (schedule.next > now && (at === undefined || schedule.next < at)) at = schedule.next;
    for (const job of this.#jobs.values()) {
      if ((job.state === 'waiting' || job.state === 'active') && job.visibleAt > now && (at === undefined || job.visibleAt < at)) at = job.visibleAt;
    }
    return at;
  }

  /**
   * Hand the job to a process. A job out of attempts goes to the dead-letter list instead (returns undefined): it
   * failed, or its workers died holding it, as often as it may.
   */
  deliver(id: string, holder: string, now: number, visibilityTimeoutMs = QUEUE_DEFAULTS.visibilityTimeoutMs): { job: Job; delivery: number; previousHolder?: string } | undefined {
    const job = this.#jobs.get(id);
    if (!job || (job.state !== 'waiting' && job.state !== 'active')) return undefined;
    const previousHolder = job.state === 'active' ? job.holder : undefined;
    if (job.attempt >= job.attempts) {
      job.state = 'dead';
      job.holder = undefined;
      job.lastError ??= 'its worker never finished it';
      return undefined;
    }
    job.attempt += 1;
    job.state = 'active';
    job.holder = holder;
    job.visibleAt = now + visibilityTimeoutMs;
    job.delivery = ++this.#delivery;
    const { queue, data, attempt, attempts, enqueuedAt } = job;
    return { job: { id, queue, data: structuredClone(data), attempt, attempts, enqueuedAt }, delivery: job.delivery, ...(previousHolder ? { previousHolder } : {}) };
  }

  /**
   * Hand a done job out once more, with its id, as an at-least-once queue may (SQS: "more than one copy of a message
   * might be delivered"; BullMQ re-runs a job it thinks stalled): what a test uses to prove a handler is safe to run
   * twice. It waits for the next free consumer; its attempt counts on, and it gets one attempt more if it needs one.
   */
  redeliver(id: string): void {
    const job = this.#jobs.get(id);
    if (!job) throw new Error(`queue.redeliver: there is no job ${JSON.stringify(id)}`);
    if (job.state !== 'done') throw new Error(`queue.redeliver: job ${id} is ${job.state}; only a done job can be delivered again`);
    job.state = 'waiting';
    job.visibleAt = this.#clock.now();
    job.attempts = Math.max(job.attempts, job.attempt + 1);
  }

  /** The handler of this delivery finished: the job is done (unless the delivery was no longer the job's). */
  ack(id: string, delivery: number): Settled {
    const job = this.#current(id, delivery);
    if (!job) return { outcome: 'stale' };
    job.state = 'done';
    job.holder = undefined;
    return { outcome: 'done' };
  }

  /** The handler threw: the job is retried after a back-off that doubles each time, or goes to the dead-letter list. */
  fail(id: string, delivery: number, error: string, now: number): Settled {
    const job = this.#current(id, delivery);
    if (!job) return { outcome: 'stale' };
    job.lastError = error;
    job.holder = undefined;
    if (job.attempt >= job.attempts) {
      job.state = 'dead';
      return { outcome: 'dead' };
    }
    job.state = 'waiting';
    job.visibleAt = now + QUEUE_DEFAULTS.backoffMs * 2 ** (job.attempt - 1);
    return { outcome: 'retry', visibleAt: job.visibleAt };
  }

  /** The process holding this delivery ended: the job stays invisible until its visibility time-out, then returns. */
  holderEnded(id: string, delivery: number): number | undefined {
    const job = this.#current(id, delivery);
    if (!job) return undefined;
    job.holder = undefined;
    return job.visibleAt;
  }

  #current(id: string, delivery: number): StoredJob | undefined {
    const job = this.#jobs.get(id);
    return job && job.state === 'active' && job.delivery === delivery ? job : undefined;
  }
}

function queueName(queue: unknown, method: string): string {
  if (typeof queue !== 'string' || queue === '' || queue.length > MAX_QUEUE_NAME) {
    throw new TypeError(`queue.${method}(queue, …): the queue's name must be a non-empty string of at most ${MAX_QUEUE_NAME} characters`);
  }
  return queue;
}
