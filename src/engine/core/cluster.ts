// The supervisor: starts, stops and restarts a kata's processes, routes requests, and moves their virtual time.
// What it composes lives in cluster/: process state (slot), seed-ordered delivery (ordering), backing-service calls,
// the build stage, chaos, which timer fires next (virtual-time), which consumer gets which job (job-delivery) and
// the release's public files the platform serves itself (static-assets).
import type { FromProcess, ProcessHost, ProcessPort, ToProcess, WireRequest, WireResponse } from '../process/protocol.ts';
import type { EndCause, EndKind, SourceLocation, Trace, TraceEvent } from './trace.ts';
import { bodyText } from './trace.ts';
import type { VirtualClock } from './clock.ts';
import { Balancer, STICKY_COOKIE, type BalancerPolicy } from './balancer.ts';
import { createRandom, deriveSeed, type Random } from './rng.ts';
import { LearnerError, describeWireError, locationOf } from './errors.ts';
import { checkInbound } from './inbound.ts';
import { watch, type Expiry } from './watchdog.ts';
import { DEFAULT_LIMITS, GRACE_PERIOD_MS, LOG_LIMITS, type ClusterLimits } from './limits.ts';
import { byName, caughtUp, hasNothingToRun, hooksDone, newSlot, owes, resetForBoot, type ProcessRef, type Slot } from './cluster/slot.ts';
import { Ordering } from './cluster/ordering.ts';
import { serveCall, type ServiceTable } from './cluster/service-calls.ts';
import { runBuild } from './cluster/build-stage.ts';
import { bootMessage, type ClusterApp } from './cluster/boot-message.ts';
import { checkChaos, killsMidJob, killsMidRequest, victimBeforeRequest, type ChaosOptions } from './cluster/chaos.ts';
import { handOut, nextJobAt, settledEvent, type JobSource } from './cluster/job-delivery.ts';
import { plainResponse } from './cluster/responses.ts';
import { earliestTimer, nextTimer, type DueTimer } from './cluster/virtual-time.ts';
import { ASSETS, ReleaseAssets } from './cluster/static-assets.ts';
import { streamEndFor, type OpenStream } from './cluster/streams.ts';
import { StreamRelay } from './cluster/stream-relay.ts';

export { DEFAULT_LIMITS, type ClusterLimits } from './limits.ts';
export type { ClusterApp } from './cluster/boot-message.ts';
export type { ChaosOptions } from './cluster/chaos.ts';
export type { ProcessRef } from './cluster/slot.ts';
export type { OpenStream, StreamEnd } from './cluster/streams.ts';

export interface Routed {
  response: WireResponse;
  servedBy: string;
  generation: number;
  requestId: number;
  /** the response is streamed (server-sent events): its chunks arrive here, then its end */
  stream?: OpenStream;
}

/** A request a client will send when the virtual clock reaches its time (EventSource's reconnect). */
interface ClientTimer {
  at: number;
  seq: number;
  run(): void;
}

const SHUT_DOWN = 'the test has ended: its cluster is shut down';
/** Who answers requests to signed URLs, in the trace. */
export const STORAGE = 'storage';

/**
 * Ends after which the isolate itself is sound, so it is reset for the next process rather than killed and replaced
 * (a new isolate costs tens of milliseconds; a test with five kills paid them in turn). Nothing the old generation's
 * code does after the reset reaches anyone. Not here: a runaway loop, a time-out, a bad message or a death, where
 * the isolate may be stuck or hostile.
 */
const SOUND_AFTER: ReadonlySet<EndCause> = new Set<EndCause>([
  'kill', 'chaos-kill', 'chaos-mid-request', 'chaos-mid-job', 'grace-expired', 'uncaught', 'rejection', 'exit', 'boot-error',
]);

export class Cluster {
  readonly #host: ProcessHost;
  readonly #app: ClusterApp;
  readonly #services: ServiceTable;
  readonly #trace: Trace;
  readonly #clock: Pick<VirtualClock, 'now' | 'set'>;
  readonly #random: Random;
  /** breaks ties between processes' timers due at the same time (its own stream: timers never shift the balancer's) */
  readonly #timerRandom: Random;
  /** picks the moment a mid-request kill lands (its own stream: adding it shifted no balancer choice) */
  readonly #chaosMoment: Random;
  /** which consumer gets which job, and which job's worker chaos kills (its own stream, as timers have theirs) */
  readonly #jobRandom: Random;
  readonly #jobs: JobSource | undefined;
  readonly #seed: number;
  readonly #limits: ClusterLimits;
  readonly #balancer: Balancer;
  readonly #slots = new Map<string, Slot>();
  readonly #ordering: Ordering;
  readonly #streams: StreamRelay;
  #disk: Record<string, Uint8Array> = {};
  #release = 0;
  /** the public files of the releases still served (see static-assets.ts) */
  readonly #assets = new ReleaseAssets();
  #nextRequest = 1;
  #nextAsk = 1;
  #chaos: ChaosOptions | null = null;
  /** after shutdown nothing more happens: no restart, no time-out, no trace event */
  #closed = false;
  /** lifecycle changes under way (stops, boots, the platform's restarts after a crash): requests wait for them, so runs replay */
  #changing = new Set<Promise<unknown>>();
  /** the boot under way: the next waits for it (see #boot) */
  #boots: Promise<void> = Promise.resolve();
  /** the test is moving the clock to this time: timers due until then fire first, one at a time */
  #advance?: { to: number; done: () => void };
  /** waiting for every process to have nothing left to run (and no timer due) */
  #quietWaiters: (() => void)[] = [];
  /** lifecycle steps waiting for every process to have caught up (see #caughtUpAll) */
  #caughtUpWaiters: (() => void)[] = [];
  /** clients' own timers (reconnects), in the order they are due */
  #clientTimers: ClientTimer[] = [];
  #nextClientTimer = 1;

  constructor(options: {
    host: ProcessHost;
    app: ClusterApp;
    services: ServiceTable;
    trace: Trace;
    clock: Pick<VirtualClock, 'now' | 'set'>;
    random: Random;
    seed: number;
    limits?: Partial<ClusterLimits>;
  }) {
    this.#host = options.host;
    this.#app = options.app;
    this.#services = options.services;
    this.#trace = options.trace;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#timerRandom = createRandom(deriveSeed(options.seed, 'timers'));
    this.#chaosMoment = createRandom(deriveSeed(options.seed, 'chaos-moment'));
    this.#jobRandom = createRandom(deriveSeed(options.seed, 'jobs'));
    this.#jobs = (options.services as { queue?: JobSource }).queue;
    this.#seed = options.seed;
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#balancer = new Balancer(options.random);
    this.#streams = new StreamRelay(this.#trace, (slot, id, reason) => {
      if (slot.port) this.#send(slot, { t: 'cancel', id, reason });
    });
    this.#ordering = new Ordering(() => this.#slots.values(), (slot, port, message) => this.#handle(slot, port, message));
    (options.services.kv as { onPublish?(handler: (channel: string, message: string) => number): void } | undefined)
      ?.onPublish?.((channel, message) => this.#deliver(channel, message));
  }

  // ---- lifecycle ----

  async start(counts: Record<string, number>): Promise<ProcessRef[]> {
    if (this.#release === 0) await this.#newRelease();
    return this.scale(counts);
  }

  async scale(counts: Record<string, number>): Promise<ProcessRef[]> {
    await this.#settle();
    for (const [type, count] of Object.entries(counts)) {
      if (!(type in this.#app.processes)) {
        throw new Error(`this kata has no process type '${type}' (it has: ${Object.keys(this.#app.processes).join(', ')})`);
      }
      if (!Number.isInteger(count) || count < 0 || count > 16) throw new RangeError(`cannot run ${count} ${type} processes (0 to 16)`);
      const existing = [...this.#slots.values()].filter((slot) => slot.ref.type === type);
      for (let index = existing.length + 1; index <= count; index++) {
        const slot = newSlot(type, index);
        this.#slots.set(slot.ref.name, slot);
      }
      // Sequential boots keep the trace in the same order on every run.
      for (const slot of existing.filter((slot) => slot.ref.index > count)) {
        await this.#serially(slot, () => this.#stop(slot, 'scaled down', 'scale-down'));
        this.#slots.delete(slot.ref.name);
      }
      for (const slot of this.#slots.values()) {
        if (slot.ref.type === type) await this.#serially(slot, () => this.#bootIfDead(slot));
      }
    }
    return this.processes();
  }

  processes(type?: string): ProcessRef[] {
    return [...this.#slots.values()]
      .filter((slot) => slot.ref.alive && (type === undefined || slot.ref.type === type))
      .map((slot) => ({ ...slot.ref }));
  }

  async restart(process: ProcessRef | string): Promise<ProcessRef> {
    const slot = this.#slot(process);
    await this.#settle();
    await this.#restartOne(slot, 'restarted', 'restart');
    return { ...slot.ref };
  }

  async restartAll(): Promise<void> {
    await this.#settle();
    for (const slot of this.#slots.values()) await this.#restartOne(slot, 'restarted', 'restart');
  }

  async kill(process: ProcessRef | string): Promise<ProcessRef> {
    const slot = this.#slot(process);
    await this.#settle();
    this.#end(slot, 'kill', 'killed (no shutdown hook ran)', 'kill');
    await this.#serially(slot, () => this.#bootIfDead(slot));
    return { ...slot.ref };
  }

  async deploy(): Promise<void> {
    await this.#settle();
    await this.#newRelease();
    await this.restartAll();
  }

  balance(policy: BalancerPolicy): void {
    this.#balancer.policy = policy;
  }

  chaos(options: ChaosOptions | null): void {
    if (options) checkChaos(options);
    this.#chaos = options;
  }

  /**
   * Move the virtual clock forward: every timer due on the way fires, in order, with the clock at its time, each
   * after the processes have finished what the one before started. Resolves once the clock is there.
   */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance: expected a finite number of milliseconds >= 0, got ${String(ms)}`);
    while (this.#advance) await new Promise<void>((resolve) => this.#quietWaiters.push(resolve));
    this.#trace.add({ kind: 'clock', advancedBy: ms });
    const reached = new Promise<void>((resolve) => {
      this.#advance = { to: this.#clock.now() + ms, done: resolve };
    });
    this.#pump();
    await reached;
  }

  /**
   * Every file on a live process's local disk right now (absolute paths: the app runs in /app), once the cluster
   * has finished what it was doing: to prove a request left nothing behind, or that a process kept what it must not.
   */
  async disk(process: ProcessRef | string): Promise<Record<string, Uint8Array>> {
    const slot = this.#slot(process);
    await this.#settle();
    if (!slot.port || slot.state !== 'ready') throw new Error(`${slot.ref.name} is not running: there is no disk to look at`);
    const ask = this.#nextAsk++;
    const files = await new Promise<Record<string, Uint8Array> | undefined>((resolve) => {
      (slot.diskAsks ??= new Map()).set(ask, resolve);
      this.#send(slot, { t: 'inspect-disk', ask });
    });
    if (!files) throw new Error(`${slot.ref.name} ended before its disk could be read`);
    return files;
  }

  /** Resolves once every process has finished what it was doing (timers due by now included). */
  idle(): Promise<void> {
    return this.#settle();
  }

  /** End every process (the run is over). */
  shutdown(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) {
      slot.watch?.stop();
      slot.watch = undefined;
      slot.boot?.reject(new Error(SHUT_DOWN));
      slot.boot = undefined;
      for (const pending of slot.inFlight.values()) pending.resolve(plainResponse(502, 'the test ended before this request was answered'));
      slot.inFlight.clear();
      slot.streams.clear();
      this.#releaseWaiters(slot);
      // After the test nothing it does is heard: even a busy generation's isolate is reset for reuse (it answers once
      // its code yields), rather than killed and replaced, which cost a new isolate per failing test.
      this.#letGo(slot, true);
      slot.state = 'dead';
      slot.ref.alive = false;
    }
    this.#clientTimers = [];
    this.#advance?.done();
    this.#advance = undefined;
    for (const waiter of this.#quietWaiters.splice(0)) waiter();
    for (const waiter of this.#caughtUpWaiters.splice(0)) waiter();
  }

  // ---- requests ----

  async route(request: WireRequest, pinned?: string): Promise<Routed> {
    if (this.#closed) throw new Error(SHUT_DOWN);
    await this.#settle();
    // A release's public file is the platform's to answer, before chaos or the balancer draw anything from the seed:
    // adding asset requests to a test shifts no process's schedule.
    this.#assets.prune(this.#release, this.#liveReleases());
    const asset = this.#assets.serve(request);
    if (asset) {
      const id = this.#nextRequest++;
      const { response, action, release, path, cache, error } = asset;
      this.#trace.add({
        kind: 'asset', id, method: request.method, path, action, status: response.status, release,
        ...(cache ? { cache } : {}), ...(error ? { error } : {}),
      });
      return { response, servedBy: ASSETS, generation: release, requestId: id };
    }
    // Under chaos, requests sent together may each have restarted a process: each waits until those restarts are
    // over (a router holding a request while a process boots), so no answer depends on how fast a process booted.
    if (this.#chaos) {
      await this.#chaosBeforeRequest();
      await this.#settle();
    }
    return this.#dispatch(request, pinned);
  }

  /**
   * Send `request` when the virtual clock is `delayMs` further on, as a client's own timer does (EventSource
   * reconnecting after its retry delay): it goes out at that moment of virtual time, between the processes' timers,
   * whenever the clock gets there (a test's `clock.advance`). `cancel` forgets it if it has not gone out.
   */
  routeLater(request: WireRequest, delayMs: number, pinned?: string): { answer: Promise<Routed>; cancel(): void } {
    let timer: ClientTimer | undefined;
    const answer = new Promise<Routed>((resolve, reject) => {
      if (this.#closed) return reject(new Error(SHUT_DOWN));
      timer = {
        at: this.#clock.now() + Math.max(0, delayMs), seq: this.#nextClientTimer++,
        run: () => void this.#dispatch(request, pinned).then(resolve, reject),
      };
      this.#clientTimers.push(timer);
      this.#clientTimers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    });
    return {
      answer,
      cancel: () => {
        this.#clientTimers = this.#clientTimers.filter((pending) => pending !== timer);
      },
    };
  }

  /**
   * The client hangs up on a streamed response: the process is told (its body is cancelled, so the app's cancel()
   * runs), once the cluster has finished what it was doing.
   */
  async closeStream(process: string, id: number): Promise<void> {
    await this.#settle();
    const slot = this.#slots.get(process);
    const stream = slot?.streams.get(id);
    if (!slot || !stream) return;
    if (slot.port) this.#send(slot, { t: 'cancel', id, reason: 'the client closed the connection' });
    this.#streams.close(slot, stream, { cause: 'client', reason: 'the client closed the connection' });
  }

  /** The routing itself; everything up to sending the request happens at once (see routeLater). */
  async #dispatch(request: WireRequest, pinned?: string): Promise<Routed> {
    const id = this.#nextRequest++;
    const path = new URL(request.url).pathname;
    const live = [...this.#slots.values()].filter((slot) => slot.state === 'ready' && slot.ref.type === 'web');
    if (live.length === 0) {
      this.#trace.add({ kind: 'request', id, method: request.method, path, process: 'balancer', generation: 0, policy: this.#balancer.policy });
      this.#trace.add({ kind: 'response', id, status: 503, process: 'balancer', generation: 0, error: 'no web process is running' });
      return { response: plainResponse(503, 'no web process is running'), servedBy: 'balancer', generation: 0, requestId: id };
    }
    const slot = this.#balancer.choose(live.map((candidate) => ({ name: candidate.ref.name, slot: candidate })), pinned).slot;
    const { name, generation } = slot.ref;
    const sent = bodyText(request.body);
    this.#trace.add({ kind: 'request', id, method: request.method, path, process: name, generation, policy: this.#balancer.policy, ...(sent !== undefined ? { body: sent } : {}) });
    if (killsMidRequest(this.#chaos, this.#random)) {
      slot.killMidRequest = id;
      slot.killAtCall = this.#chaos?.atCall;
      slot.callsSeen = 0;
    }

    const started = performance.now();
    let stream: OpenStream | undefined;
    let work: number | undefined;
    const response = await new Promise<WireResponse>((resolve) => {
      slot.inFlight.set(id, {
        resolve: (answer, opened, reported) => {
          stream = opened;
          work = reported;
          resolve(answer);
        },
        what: `${request.method} ${path}`,
      });
      this.#send(slot, { t: 'request', id, request, now: this.#clock.now() });
    });
    if (this.#balancer.policy === 'sticky') {
      response.headers.push(['set-cookie', `${STICKY_COOKIE}=${name}; Path=/; HttpOnly`]);
    }
    // A stream's head was traced as it arrived, before any of its chunks (see #handle).
    if (stream) return { response, servedBy: name, generation, requestId: id, stream };
    const error = response.headers.find(([header]) => header === 'x-dojo-error')?.[1];
    const answered = bodyText(response.body);
    this.#trace.add({
      kind: 'response', id, status: response.status, process: name, generation,
      ms: Math.round((performance.now() - started) * 100) / 100,
      ...(error ? { error } : {}),
      ...(answered !== undefined ? { body: answered } : {}),
      ...(work !== undefined ? { work } : {}),
    });
    return { response, servedBy: name, generation, requestId: id };
  }

  /** A request to a signed URL: the object store answers it, no process sees it (a browser uploading to S3). */
  async toStorage(request: WireRequest): Promise<Routed> {
    if (this.#closed) throw new Error(SHUT_DOWN);
    await this.#settle();
    const id = this.#nextRequest++;
    const path = new URL(request.url).pathname;
    this.#trace.add({ kind: 'request', id, method: request.method, path, process: STORAGE, generation: 0, policy: 'signed URL' });
    const store = this.#services.objects as unknown as { serveSigned(request: WireRequest): Promise<WireResponse> };
    const response = await store.serveSigned(request);
    const code = response.headers.find(([header]) => header === 'x-storage-error')?.[1];
    this.#trace.add({ kind: 'response', id, status: response.status, process: STORAGE, generation: 0, ...(code ? { error: new TextDecoder().decode(response.body) } : {}) });
    return { response, servedBy: STORAGE, generation: 0, requestId: id };
  }

  // ---- internals: waiting ----

  #slot(process: ProcessRef | string): Slot {
    const name = typeof process === 'string' ? process : process.name;
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`there is no process named '${name}' (running: ${[...this.#slots.keys()].join(', ') || 'none'})`);
    return slot;
  }

  #live(): Slot[] {
    return [...this.#slots.values()].filter((slot) => slot.port);
  }

  /** Releases a live process runs: their public files stay served (a page it renders asks for them). */
  #liveReleases(): number[] {
    return this.#live().flatMap((slot) => (slot.release !== undefined ? [slot.release] : []));
  }

  /**
   * Before the test acts: restarts the platform began are done and, unless the test has requests in flight (it is
   * sending several at once), every process has finished what it was doing, due timers included. So what the test
   * does next always lands at the same point of every process's work, however fast the machine is.
   */
  async #settle(): Promise<void> {
    for (;;) {
      while (this.#changing.size > 0) await Promise.allSettled([...this.#changing]);
      if (this.#closed || [...this.#slots.values()].some((slot) => slot.inFlight.size > 0)) return;
      await new Promise<void>((resolve) => {
        this.#quietWaiters.push(resolve);
        this.#pump();
      });
      if (this.#changing.size === 0) return;
    }
  }

  /**
   * Resolves once every live process has run every message it was sent and nothing it said is held back: the
   * points at which the cluster's state no longer depends on thread timing. A lifecycle step (a stop, a boot, a
   * start in the trace) waits for one, so what other processes answered meanwhile is handled before it, on every run.
   * Without it, a slow isolate's answers landed before or after a restart depending on the machine's load.
   */
  #caughtUpAll(): Promise<void> {
    const check = (resolve: () => void) => {
      if (this.#closed || this.#live().every((slot) => caughtUp(slot) && slot.outbox.length === 0)) resolve();
      else this.#caughtUpWaiters.push(() => check(resolve));
    };
    return new Promise<void>(check);
  }

  #wakeCaughtUp(): void {
    for (const waiter of this.#caughtUpWaiters.splice(0)) waiter();
  }

  /**
   * Runs whenever the cluster may have become quiet (an idle report, an end). Once every process has nothing left
   * to run: a due timer fires (one; the next waits for quiet again); else a clock the test is moving reaches its
   * target; else, if a process owes an answer and only a timer can give it, time passes to that timer (as tokio's
   * paused clock does); else whoever waits for quiet goes on.
   */
  #pump(): void {
    if (this.#closed) return;
    const live = this.#live();
    if (!live.every(hasNothingToRun)) return;
    const now = this.#clock.now();
    if (this.#handOutJobs(now)) return;
    const until = Math.max(now, this.#advance?.to ?? now);
    // A job that becomes deliverable (a delay, a back-off, a visibility time-out ending) before the next timer is due
    // is handed out at its time, as the clock moves on.
    const jobAt = this.#jobs ? nextJobAt(this.#jobs, live, now) : undefined;
    const timerAt = earliestTimer(live);
    const client = this.#clientTimers[0];
    if (client && client.at <= until && (timerAt === undefined || client.at <= timerAt) && (jobAt === undefined || client.at <= jobAt)) {
      this.#clientTimers.shift();
      if (client.at > now) this.#clock.set(client.at);
      client.run(); // sends its request at once: the cluster is busy again, and this pump ends at the next line
      return this.#pump();
    }
    if (jobAt !== undefined && jobAt <= until && (timerAt === undefined || jobAt <= timerAt)) {
      this.#clock.set(jobAt);
      return this.#pump();
    }
    const due = nextTimer(live, until, this.#timerRandom);
    if (due) return this.#fire(due);
    if (this.#advance) {
      const { to, done } = this.#advance;
      this.#advance = undefined;
      this.#clock.set(Math.max(now, to));
      done();
      return this.#pump();
    }
    const waiting = live.filter((slot) => owes(slot) && slot.timers.length > 0);
    if (waiting.length > 0) {
      // time passes to that timer, or to a job that becomes deliverable before it
      const at = Math.min(earliestTimer(live)!, jobAt ?? Infinity);
      const stopping = waiting.filter((slot) => slot.graceUntil !== undefined && slot.graceUntil < at);
      if (stopping.length > 0) return this.#graceOver(stopping);
      this.#trace.add({ kind: 'clock', advancedBy: at - now, waitedFor: waiting[0]!.ref.name });
      this.#clock.set(at);
      return this.#pump();
    }
    for (const waiter of this.#quietWaiters.splice(0)) waiter();
  }

  /** Every free consumer gets a due job (see job-delivery.ts); true when any did (the cluster is busy again). */
  #handOutJobs(now: number): boolean {
    if (!this.#jobs) return false;
    const handed = handOut(this.#jobs, this.#live(), now, this.#jobRandom, (event) => this.#trace.add(event));
    for (const { slot, job, delivery } of handed) {
      if (killsMidJob(this.#chaos, this.#jobRandom)) slot.killMidJob = delivery;
      this.#send(slot, { t: 'job', delivery, job, now });
    }
    return handed.length > 0;
  }

  #fire({ slot, timer }: DueTimer): void {
    if (timer.at > this.#clock.now()) this.#clock.set(timer.at);
    slot.timers = slot.timers.filter((pending) => pending.id !== timer.id);
    const { id, delay, every, file, line } = timer;
    this.#trace.add({
      kind: 'timer', action: 'fire', process: slot.ref.name, generation: slot.ref.generation, id, delay,
      ...(every !== undefined ? { every } : {}), ...(file ? { file, line } : {}),
    });
    this.#send(slot, { t: 'fire', id, now: this.#clock.now() });
  }

  /** Stopping processes whose grace period ends before anything else can happen: killed, as a platform would. */
  #graceOver(stopping: Slot[]): void {
    const at = Math.min(...stopping.map((slot) => slot.graceUntil!));
    this.#clock.set(Math.max(this.#clock.now(), at));
    for (const slot of stopping.filter((candidate) => candidate.graceUntil === at)) {
      this.#end(slot, 'kill', `did not finish shutting down within its ${GRACE_PERIOD_MS / 1000} s grace period and was killed`, 'grace-expired');
    }
  }

  // ---- internals: lifecycle ----

  async #chaosBeforeRequest(): Promise<void> {
    const chaos = this.#chaos;
    const victim = victimBeforeRequest(chaos, this.#random, [...this.#slots.values()].filter((slot) => slot.state === 'ready'));
    if (!victim) return;
    this.#trace.add({ kind: 'chaos', action: chaos!.kill ? 'kill' : 'restart', process: victim.ref.name });
    if (chaos!.kill) {
      this.#end(victim, 'kill', 'killed by chaos (no shutdown hook ran)', 'chaos-kill');
      await this.#serially(victim, () => this.#bootIfDead(victim));
    } else await this.#restartOne(victim, 'restarted by chaos', 'chaos-restart');
  }

  /**
   * Lifecycle changes of one process never overlap: a deploy's restart, a chaos restart and the recovery after a
   * crash can all be asked for while requests are in flight, and two boots of one slot at once would leave one
   * waiting forever for a start that the other replaced. Each waits for the one before, in the order asked.
   */
  #serially(slot: Slot, change: () => Promise<void>): Promise<void> {
    const run = slot.lifecycle.then(change);
    const done = run.catch(() => undefined);
    slot.lifecycle = done;
    // Requests wait for it (see #settle): which processes are up when one is routed is decided by the order of
    // steps, never by how fast a process happened to boot.
    this.#changing.add(done);
    void done.then(() => this.#changing.delete(done));
    return run;
  }

  /** Stop the generation running now (if it has not ended another way meanwhile) and start the next. */
  #restartOne(slot: Slot, reason: string, cause: EndCause): Promise<void> {
    return this.#serially(slot, async () => {
      await this.#stop(slot, reason, cause);
      await this.#bootIfDead(slot);
    });
  }

  /** Only a slot with no generation running boots: one that is running already is what was wanted. */
  async #bootIfDead(slot: Slot): Promise<void> {
    if (slot.state === 'dead') await this.#boot(slot);
  }

  async #newRelease(): Promise<void> {
    this.#release += 1;
    const build = this.#app.build;
    const built = build
      ? await runBuild({
        host: this.#host, app: { ...this.#app, build }, services: this.#services, trace: this.#trace, limits: this.#limits,
        seed: this.#seed, release: this.#release, now: () => this.#clock.now(),
      })
      : { disk: {} };
    this.#disk = built.disk;
    this.#assets.add(this.#release, this.#disk);
    this.#assets.prune(this.#release, this.#liveReleases());
    this.#trace.add({ kind: 'release', release: this.#release, built: Boolean(build), ...(built.work !== undefined ? { work: built.work } : {}) });
  }

  /**
   * One boot at a time, cluster-wide: boots asked for together (three processes killed at once) end in the order
   * they were asked, not in the order their isolates happened to load, so a replay has the same trace and routes
   * every request to the same process.
   */
  #boot(slot: Slot): Promise<void> {
    const run = this.#boots.then(() => this.#bootNow(slot));
    this.#boots = run.catch(() => undefined);
    return run;
  }

  async #bootNow(slot: Slot): Promise<void> {
    await this.#caughtUpAll();
    if (this.#closed) throw new Error(SHUT_DOWN);
    const started = performance.now();
    resetForBoot(slot);
    const { name, type, index, generation } = slot.ref;
    const port = await this.#host.spawn();
    if (this.#closed) {
      port.terminate();
      throw new Error(SHUT_DOWN);
    }
    slot.port = port;
    port.onMessage((raw) => {
      const checked = checkInbound(raw);
      if (checked.ok) this.#onMessage(slot, port, checked.message);
      else if (slot.port === port) this.#crash(slot, checked.reason, 'bad-message');
    });
    port.onDeath((reason) => {
      if (slot.port === port) this.#crash(slot, reason, 'died');
    });
    const booted = new Promise<void>((resolve, reject) => {
      slot.boot = { resolve, reject };
    });
    slot.watch = watch({
      idle: () => hasNothingToRun(slot) && slot.timers.length === 0,
      waitingOnService: () => slot.callsPending > 0,
      owes: () => slot.state === 'starting' || slot.inFlight.size > 0 || slot.job !== undefined,
      idleMs: this.#limits.idleTimeoutMs,
      lastResortMs: this.#limits.lastResortMs,
      onExpire: (kind) => {
        if (slot.port === port) this.#crash(slot, this.#overdue(slot, kind), kind === 'idle' ? 'never-settles' : 'last-resort');
      },
    });
    const info = { name, type, index, generation, seed: deriveSeed(this.#seed, name, generation) };
    slot.release = this.#release;
    this.#send(slot, bootMessage(this.#app, this.#app.processes[type]!, this.#disk, info, this.#clock.now(), this.#limits));
    try {
      await booted;
    } finally {
      slot.boot = undefined;
    }
    slot.state = 'ready';
    slot.ref.alive = true;
    const work = slot.startWork;
    this.#trace.add({
      kind: 'start', process: name, generation, startMs: Math.round((performance.now() - started) * 100) / 100,
      ...(work !== undefined ? { work } : {}),
    });
    // What the others said while it started is handled before the step is over (and requests waiting for it go on).
    await this.#caughtUpAll();
  }

  /**
   * Graceful stop, as a platform does it: no new requests or jobs reach it; those in flight may finish; then its shutdown
   * hooks run; all within a grace period of virtual time, after which it is killed. Whether the hooks are done is
   * decided by what the process reports, never by a wall-clock time a slow machine could overrun.
   */
  async #stop(slot: Slot, reason: string, cause: EndCause): Promise<void> {
    await this.#caughtUpAll();
    if (slot.state !== 'ready' || !slot.port) return;
    slot.state = 'stopping';
    slot.graceUntil = this.#clock.now() + GRACE_PERIOD_MS;
    if (slot.inFlight.size > 0 || slot.job) await new Promise<void>((resolve) => (slot.drained = resolve));
    slot.drained = undefined;
    // Killed while draining (chaos mid-request): that end was this generation's; its recovery waits its turn.
    if (slot.ended) return;
    await new Promise<void>((resolve) => {
      slot.stopped = resolve;
      this.#send(slot, { t: 'stop', now: this.#clock.now() });
    });
    slot.stopped = undefined;
    // Its report that it has run everything it was sent, so a quiet isolate can be reused (see #letGo).
    if (!slot.ended && !caughtUp(slot)) await new Promise<void>((resolve) => (slot.quiet = resolve));
    slot.quiet = undefined;
    this.#end(slot, 'stop', reason, cause);
  }

  /** The isolate ends now: memory, timers and local disk go with it; requests in flight get a 502. */
  #end(slot: Slot, kind: EndKind, reason: string, cause: EndCause, location?: SourceLocation): void {
    if (slot.ended || this.#closed) return;
    slot.ended = reason;
    slot.killMidRequest = undefined;
    slot.watch?.stop();
    slot.watch = undefined;
    hooksDone(slot);
    slot.quiet?.();
    this.#ordering.flushEnded(slot);
    if (kind === 'stop') this.#letGo(slot);
    else if (SOUND_AFTER.has(cause)) this.#letGo(slot, true);
    else slot.port?.terminate();
    slot.port = undefined;
    slot.ref.alive = false;
    const wasBooting = slot.state === 'starting';
    slot.state = 'dead';
    const { name, generation } = slot.ref;
    for (const { id, delay, every, file, line } of slot.timers) {
      this.#trace.add({ kind: 'timer', action: 'drop', process: name, generation, id, delay, ...(every !== undefined ? { every } : {}), ...(file ? { file, line } : {}) });
    }
    slot.timers = [];
    const held = slot.job;
    slot.job = undefined;
    slot.killMidJob = undefined;
    // its connections close as it goes: told before its end, so a restart still reads as one step
    for (const stream of [...slot.streams.values()]) this.#streams.close(slot, stream, streamEndFor(kind, name, reason));
    this.#trace.add({ kind, process: name, generation, reason, cause, ...(location ? { location } : {}) } as TraceEvent);
    if (held && this.#jobs) {
      const visibleAt = this.#jobs.holderEnded(held.id, held.delivery);
      this.#trace.add({
        kind: 'job', action: 'lost', queue: held.queue, job: held.id, attempt: held.attempt, attempts: held.attempts, process: name, generation,
        ...(visibleAt !== undefined ? { visibleAt } : {}),
      });
    }
    for (const [, pending] of slot.inFlight) pending.resolve(plainResponse(502, `${name} ${reason} before it answered`));
    slot.inFlight.clear();
    this.#releaseWaiters(slot);
    if (wasBooting) slot.boot?.reject(new LearnerError(`${name} ${reason}`));
    this.#ordering.flush(); // others may have been waiting for this one
    this.#pump();
    this.#wakeCaughtUp();
  }

  /** Whoever waits on a generation that has ended goes on: a stop waiting for it to drain, tests asking for its disk. */
  #releaseWaiters(slot: Slot): void {
    slot.drained?.();
    for (const answer of slot.diskAsks?.values() ?? []) answer(undefined);
    slot.diskAsks = undefined;
  }

  /** A crash: the process ends and, like a platform's process manager, the cluster starts a new generation. */
  #crash(slot: Slot, reason: string, cause: EndCause, location?: SourceLocation): void {
    if (slot.ended || this.#closed) return;
    const wasBooting = slot.state === 'starting';
    const boot = slot.boot;
    slot.boot = undefined;
    this.#end(slot, 'crash', reason, cause, location);
    if (wasBooting) {
      boot?.reject(new LearnerError(`${slot.ref.name} crashed at start-up: ${reason}`, location));
      return;
    }
    this.#recover(slot);
  }

  /** Chaos kills the process in the middle of a request: at its next backing-service call, or before it answers. */
  #killMidRequest(slot: Slot): void {
    this.#trace.add({ kind: 'chaos', action: 'kill mid-request', process: slot.ref.name });
    this.#end(slot, 'kill', 'killed by chaos while handling a request', 'chaos-mid-request');
    this.#recover(slot);
  }

  /** The same for a job: at its next backing-service call, or before it is acknowledged. */
  #killMidJob(slot: Slot): void {
    this.#trace.add({ kind: 'chaos', action: 'kill mid-job', process: slot.ref.name });
    this.#end(slot, 'kill', `killed by chaos while working on job ${slot.job?.id ?? ''}`.trimEnd(), 'chaos-mid-job');
    this.#recover(slot);
  }

  /**
   * End a generation that stopped or outlived its test: an isolate with nothing left to run (or, after the test, any)
   * is handed back for reuse (a fresh runtime and Compartment there, so nothing of this generation survives); any other
   * is killed.
   */
  #letGo(slot: Slot, evenIfBusy = false): void {
    const port = slot.port;
    slot.port = undefined;
    if (!port) return;
    if (port.release && (evenIfBusy || (hasNothingToRun(slot) && slot.inFlight.size === 0))) port.release();
    else port.terminate();
  }

  #overdue(slot: Slot, kind: Expiry): string {
    const owed = slot.state === 'starting' ? 'did not finish starting'
      : slot.inFlight.size === 0 && slot.job ? `did not finish job ${slot.job.id}`
        : `did not answer ${[...slot.inFlight.values()][0]?.what ?? 'a request'}`;
    return kind === 'idle'
      ? `${owed}: it had nothing left to run, so it was waiting for a promise that never settles, and was stopped`
      : `${owed} within ${this.#limits.lastResortMs / 1000} s of its own time and was stopped (if the machine is very busy, try again)`;
  }

  /** Start the next generation in the background; the next request or lifecycle call waits for it. */
  #recover(slot: Slot): void {
    if (this.#closed) return;
    void this.#serially(slot, () => this.#bootIfDead(slot)).catch(() => undefined);
  }

  // ---- internals: streams ----

  /** A streamed response's head: the request is answered now; its chunks follow (see StreamRelay). */
  #streamOpened(slot: Slot, message: Extract<FromProcess, { t: 'stream' }>): void {
    const pending = slot.inFlight.get(message.id);
    if (!pending) return;
    if (slot.killMidRequest === message.id) return this.#killMidRequest(slot);
    slot.inFlight.delete(message.id);
    const path = pending.what.slice(pending.what.indexOf(' ') + 1);
    pending.resolve(message.response, this.#streams.open(slot, message.id, path, message.response.status));
    if (slot.inFlight.size === 0 && !slot.job) slot.drained?.();
  }

  // ---- internals: pub/sub ----

  /** PUBLISH: every live process subscribed to the channel gets the message, in name order; says how many did. */
  #deliver(channel: string, message: string): number {
    if (this.#closed) return 0;
    const receivers = this.#live()
      .filter((slot) => slot.subscriptions.has(channel))
      .sort((a, b) => byName(a.ref.name, b.ref.name));
    for (const slot of receivers) this.#send(slot, { t: 'message', channel, message, now: this.#clock.now() });
    return receivers.length;
  }

  /** SUBSCRIBE and UNSUBSCRIBE are the supervisor's: a subscription belongs to one generation and ends with it. */
  #pubsub(slot: Slot): ServiceTable {
    return {
      kv: {
        subscribe: (channel) => void slot.subscriptions.add(String(channel)),
        unsubscribe: (channel) => void slot.subscriptions.delete(String(channel)),
      },
    };
  }

  // ---- internals: messages ----

  #send(slot: Slot, message: ToProcess): void {
    slot.port!.send(message); // may throw (a value that cannot be cloned): then it was not sent
    slot.sent += 1;
  }

  #onMessage(slot: Slot, port: ProcessPort, message: FromProcess): void {
    if (slot.port !== port || this.#closed) return; // a message from a generation that has already ended
    if (message.t === 'idle') {
      slot.seen = message.seen;
      slot.timers = message.timers;
      this.#ordering.flush();
      // A stop whose hooks wait on nothing that can still happen is over.
      if (slot.state === 'stopping' && hasNothingToRun(slot) && slot.timers.length === 0) hooksDone(slot);
      if (caughtUp(slot)) slot.quiet?.();
      this.#pump();
      this.#wakeCaughtUp();
      return;
    }
    slot.watch?.poke();
    if (message.t === 'call') slot.callsPending += 1; // waiting, held back or not, is not the process's own time
    this.#ordering.offer(slot, port, message);
  }

  #handle(slot: Slot, port: ProcessPort, message: FromProcess): void {
    const { name, generation } = slot.ref;
    switch (message.t) {
      case 'ready':
        slot.consumer = message.consumer === true;
        slot.startWork = message.work;
        slot.boot?.resolve();
        break;
      case 'job-done':
      case 'job-error': {
        const held = slot.job;
        if (!held || held.delivery !== message.delivery || !this.#jobs) break;
        if (slot.killMidJob === message.delivery) return this.#killMidJob(slot);
        slot.job = undefined;
        if (message.t === 'job-done') this.#trace.add(settledEvent(slot, held, this.#jobs.ack(held.id, held.delivery)));
        else {
          const error = describeWireError(message.error);
          this.#trace.add(settledEvent(slot, held, this.#jobs.fail(held.id, held.delivery, error, this.#clock.now()), error));
        }
        if (slot.inFlight.size === 0) slot.drained?.();
        break;
      }
      case 'boot-error':
        this.#crash(slot, describeWireError(message.error), 'boot-error', locationOf(message.error));
        break;
      case 'response':
      case 'request-error': {
        const pending = slot.inFlight.get(message.id);
        if (!pending) break;
        if (slot.killMidRequest === message.id) return this.#killMidRequest(slot);
        slot.inFlight.delete(message.id);
        if (message.t === 'response') pending.resolve(message.response, undefined, message.work);
        else {
          const error = describeWireError(message.error);
          const location = locationOf(message.error);
          this.#trace.add({
            kind: 'log', process: name, generation, level: 'error', text: `uncaught in fetch(): ${error}`,
            cause: 'uncaught-in-fetch', error, ...(location ? { location } : {}),
          });
          pending.resolve(plainResponse(500, error, true));
        }
        if (slot.inFlight.size === 0 && !slot.job) slot.drained?.();
        break;
      }
      case 'stream':
        this.#streamOpened(slot, message);
        break;
      case 'chunk':
      case 'stream-end':
        this.#streams.relay(slot, message);
        break;
      case 'call':
        // The kill lands at a moment the seed picks: at this call (before it is served) or later, possibly after the
        // app did all its work but before its answer left: the case that makes clients retry and apps double-charge.
        if (slot.killMidRequest !== undefined) {
          if (slot.killAtCall !== undefined) {
            slot.callsSeen = (slot.callsSeen ?? 0) + 1;
            if (slot.callsSeen === slot.killAtCall) return this.#killMidRequest(slot);
          } else if (this.#chaosMoment() < 0.5) return this.#killMidRequest(slot);
        }
        if (slot.killMidJob !== undefined && slot.job?.delivery === slot.killMidJob && this.#jobRandom() < 0.5) return this.#killMidJob(slot);
        serveCall(message.service === 'kv' && (message.method === 'subscribe' || message.method === 'unsubscribe') ? this.#pubsub(slot) : this.#services, this.#trace, {
          process: name,
          generation,
          requestId: slot.inFlight.size === 1 ? [...slot.inFlight.keys()][0] : undefined,
          reply: (answer) => {
            if (slot.port === port) this.#send(slot, answer);
          },
          answered: () => {
            if (slot.port !== port) return;
            slot.callsPending -= 1;
            slot.watch?.poke();
          },
        }, message);
        break;
      case 'log':
        slot.logs += 1;
        if (slot.logs < LOG_LIMITS.linesPerGeneration) this.#trace.add({ kind: 'log', process: name, generation, level: message.level, text: message.text });
        else if (slot.logs === LOG_LIMITS.linesPerGeneration) {
          this.#trace.add({ kind: 'log', process: name, generation, level: 'warn', text: `… more output from ${name} was dropped` });
        }
        break;
      case 'runaway': {
        const { file, line, column, message: text } = message.error;
        this.#crash(slot, `${text}${file ? ` (${file}:${line}:${column})` : ''}, and was stopped`, 'runaway', locationOf(message.error));
        break;
      }
      case 'fatal':
        this.#crash(
          slot,
          `crashed: ${message.cause === 'rejection' ? 'unhandled promise rejection' : 'uncaught exception'}: ${describeWireError(message.error)}`,
          message.cause,
          locationOf(message.error),
        );
        break;
      case 'exit':
        this.#crash(slot, `called process.exit(${message.code})`, 'exit');
        break;
      case 'stopped':
        hooksDone(slot);
        break;
      case 'disk':
        slot.diskAsks?.get(message.ask)?.(message.files);
        slot.diskAsks?.delete(message.ask);
        break;
    }
  }
}
