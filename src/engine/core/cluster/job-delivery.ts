// Which jobs go to which consumers when the cluster is quiet: every free consumer gets the next job, in an order the
// seed decides (never thread timing's), so a run with jobs replays exactly.
import type { Job, Settled } from '../../services/queue.ts';
import type { TraceEvent } from '../trace.ts';
import { pick, type Random } from '../rng.ts';
import { byName, type Slot } from './slot.ts';

/** What the supervisor needs of the queue service (services/queue.ts). */
export interface JobSource {
  /** the job to hand out next: the queue's own record, so it shows what became of it after `deliver` */
  next(now: number): { id: string; queue: string; attempt: number; attempts: number; lastError?: string } | undefined;
  nextVisibleAfter(now: number): number | undefined;
  deliver(id: string, holder: string, now: number): { job: Job; delivery: number; previousHolder?: string } | undefined;
  ack(id: string, delivery: number): Settled;
  fail(id: string, delivery: number, error: string, now: number): Settled;
  holderEnded(id: string, delivery: number): number | undefined;
}

/** The job a process is working on. */
export interface HeldJob {
  id: string;
  queue: string;
  delivery: number;
  attempt: number;
  attempts: number;
}

export interface Handover {
  slot: Slot;
  job: Job;
  delivery: number;
}

/** Consumers that can take a job now: started, not stopping, with no job in hand; in name order. */
export function freeConsumers(slots: Iterable<Slot>): Slot[] {
  return [...slots].filter((slot) => slot.port && slot.state === 'ready' && slot.consumer && !slot.job).sort((a, b) => byName(a.ref.name, b.ref.name));
}

/**
 * Hand every free consumer a job, while jobs are due: consumers drawn by the seed. Jobs out of attempts go to the
 * dead-letter list on the way (reported through `trace`).
 */
export function handOut(source: JobSource, slots: Iterable<Slot>, now: number, random: Random, trace: (event: TraceEvent) => void): Handover[] {
  const free = freeConsumers(slots);
  const handed: Handover[] = [];
  while (free.length > 0) {
    const next = source.next(now);
    if (!next) break;
    const slot = free.length === 1 ? free[0]! : free[pick(random, free.length)]!;
    const given = source.deliver(next.id, slot.ref.name, now);
    if (!given) {
      const dead = next; // out of attempts: `deliver` moved it to the dead-letter list
      trace({ kind: 'job', action: 'dead', queue: dead.queue, job: dead.id, attempt: dead.attempt, attempts: dead.attempts, ...(dead.lastError ? { error: dead.lastError } : {}) });
      continue;
    }
    free.splice(free.indexOf(slot), 1);
    const { job, delivery } = given;
    slot.job = { id: job.id, queue: job.queue, delivery, attempt: job.attempt, attempts: job.attempts };
    trace({
      kind: 'job', action: 'deliver', queue: job.queue, job: job.id, attempt: job.attempt, attempts: job.attempts,
      process: slot.ref.name, generation: slot.ref.generation, ...(given.previousHolder ? { previousHolder: given.previousHolder } : {}),
    });
    handed.push({ slot, job, delivery });
  }
  return handed;
}

/** When the next job becomes deliverable, if a consumer is free to take it. */
export function nextJobAt(source: JobSource, slots: Iterable<Slot>, now: number): number | undefined {
  if (freeConsumers(slots).length === 0) return undefined;
  return source.next(now) ? now : source.nextVisibleAfter(now);
}

/** The trace event for a job whose handler finished or failed (`settled` says what the queue made of it). */
export function settledEvent(slot: Slot, held: HeldJob, settled: Settled, error?: string): TraceEvent {
  const base = { queue: held.queue, job: held.id, attempt: held.attempt, attempts: held.attempts, process: slot.ref.name, generation: slot.ref.generation };
  switch (settled.outcome) {
    case 'done':
      return { kind: 'job', action: 'done', ...base };
    case 'stale':
      return { kind: 'job', action: 'stale', ...base, ...(error ? { error } : {}) };
    case 'retry':
      return { kind: 'job', action: 'retry', ...base, visibleAt: settled.visibleAt, ...(error ? { error } : {}) };
    case 'dead':
      return { kind: 'job', action: 'dead', ...base, ...(error ? { error } : {}) };
  }
}
