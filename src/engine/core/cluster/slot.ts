// One process as the supervisor keeps it: a name that lives across restarts, and the state of its current generation.
import type { FromProcess, PendingTimer, ProcessPort, WireResponse } from '../../process/protocol.ts';
import type { Watch } from '../watchdog.ts';
import type { OpenStream } from './streams.ts';
import type { HeldJob } from './job-delivery.ts';

/** A process as tests see it: `web.2` is the second process of type `web`; generation 1 is its first start. */
export interface ProcessRef {
  name: string;
  type: string;
  index: number;
  generation: number;
  alive: boolean;
}

export interface Pending {
  /**
   * `stream`: the response is streamed, and this is where its chunks will arrive; `work`: the steps the process
   * reported with its answer
   */
  resolve(response: WireResponse, stream?: OpenStream, work?: number): void;
  /** "GET /visits", for messages */
  what: string;
}

export interface Slot {
  ref: ProcessRef;
  port?: ProcessPort;
  state: 'starting' | 'ready' | 'stopping' | 'dead';
  inFlight: Map<number, Pending>;
  /** the steps this generation's start-up ran (its module and start()), as it reported them */
  startWork?: number;
  /** backing-service calls of this process not answered yet */
  callsPending: number;
  /** messages sent to this generation, and how many it said it has received and run (its last 'idle') */
  sent: number;
  seen: number;
  /** its messages held back while another process is still running (see ordering.ts) */
  outbox: FromProcess[];
  /** timers it has set and not yet fired or cleared, as of its last idle report */
  timers: PendingTimer[];
  /** console lines of this generation */
  logs: number;
  /** pub/sub channels this generation subscribed to */
  subscriptions: Set<string>;
  /** its module has a `queue(job, env)` handler: the queue's jobs go to it */
  consumer: boolean;
  /** the job it is working on */
  job?: HeldJob;
  /** the release this generation booted from (its public files stay served while it lives) */
  release?: number;
  /** chaos: kill this process while it works on this delivery (as killMidRequest does for a request) */
  killMidJob?: number;
  /** while stopping: the virtual time its grace period ends (then it is killed) */
  graceUntil?: number;
  /** while stopping: its requests in flight have all been answered */
  drained?: () => void;
  watch?: Watch;
  /** chaos: kill this process while it handles this request: at one of its backing-service calls, or before it answers */
  killMidRequest?: number;
  /** chaos with `atCall`: the kill lands at this call of the doomed request; `callsSeen` counts them */
  killAtCall?: number;
  callsSeen?: number;
  /** the first end of this generation, reported once */
  ended?: string;
  boot?: { resolve(): void; reject(error: Error): void };
  stopped?: () => void;
  /** waiting for its report that it has run every message it was sent */
  quiet?: () => void;
  /** streamed responses it is sending, by request id */
  streams: Map<number, OpenStream>;
  /** its lifecycle changes (a stop and the boot after it, a recovery), run one at a time in the order asked */
  lifecycle: Promise<void>;
  /** tests waiting for a look at its local disk, by ask number */
  diskAsks?: Map<number, (files: Record<string, Uint8Array> | undefined) => void>;
}

export function newSlot(type: string, index: number): Slot {
  return {
    ref: { name: `${type}.${index}`, type, index, generation: 0, alive: false },
    state: 'dead', inFlight: new Map(), streams: new Map(), callsPending: 0, timers: [], logs: 0, subscriptions: new Set(), consumer: false, sent: 0, seen: 0, outbox: [],
    lifecycle: Promise.resolve(),
  };
}

/** A new generation starts from nothing: no message sent or seen, no call, no console line, no chaos pending. */
export function resetForBoot(slot: Slot): void {
  slot.ref.generation += 1;
  slot.callsPending = 0;
  slot.timers = [];
  slot.logs = 0;
  slot.subscriptions = new Set();
  slot.consumer = false;
  slot.startWork = undefined;
  slot.job = undefined;
  slot.killMidJob = undefined;
  slot.graceUntil = undefined;
  slot.sent = 0;
  slot.seen = 0;
  slot.outbox = [];
  slot.state = 'starting';
  slot.ended = undefined;
  slot.killMidRequest = undefined;
  slot.killAtCall = undefined;
  slot.callsSeen = undefined;
}

/** It has said it received and ran every message it was sent (as of its last idle report). */
export function caughtUp(slot: Slot): boolean {
  return slot.seen >= slot.sent;
}

/**
 * It has nothing left to run: every message run, no backing-service call waiting, nothing of its own held back.
 * Only a message can wake it now (a timer is one: timers fire when the virtual clock says so).
 */
export function hasNothingToRun(slot: Slot): boolean {
  return caughtUp(slot) && slot.callsPending === 0 && slot.outbox.length === 0;
}

/** Process names in natural order: web.2 before web.10. */
export function byName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * It still owes something: an answer to a request, the end of a job, the end of its start-up, or (while stopping)
 * its shutdown hooks.
 */
export function owes(slot: Slot): boolean {
  return slot.state === 'starting' || slot.inFlight.size > 0 || slot.job !== undefined || (slot.state === 'stopping' && slot.stopped !== undefined);
}

/** Its shutdown hooks are over (they finished, or can never finish): the stop goes on. */
export function hooksDone(slot: Slot): void {
  const stopped = slot.stopped;
  slot.stopped = undefined;
  stopped?.();
}
