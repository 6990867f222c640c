// The supervisor: starts, restarts and kills a kata's processes, routes requests through the balancer, serves RPC.
import type { FromProcess, ProcessHost, ProcessPort, ToProcess, WireError, WireRequest, WireResponse } from '../process/protocol.ts';
import type { Trace } from './trace.ts';
import { summarize, bodyText, MAX_VALUE_CHARS } from './trace.ts';
import { Balancer, STICKY_COOKIE, type BalancerPolicy } from './balancer.ts';
import { deriveSeed, type Random } from './rng.ts';
import { LearnerError, describeWireError, locationOf } from './errors.ts';
import { isServiceMethod } from '../services/methods.ts';
import { checkInbound } from './inbound.ts';
import { watch, type Expiry, type Watch } from './watchdog.ts';

export interface ClusterApp {
  /** compiled learner modules, by file */
  modules: Record<string, string>;
  /** the learner's own sources, to map error columns back from compiled code */
  sources?: Record<string, string>;
  /** process type → entry file */
  processes: Record<string, string>;
  /** entry file of the build step, if the kata has one */
  build?: string;
  vars?: Record<string, string>;
}

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

/** Console lines one process generation may log; more are dropped with a note (a flood must not swamp a run). */
const MAX_LOG_LINES = 500;

/** A process as tests see it: `web.2` is the second process of type `web`; generation 1 is its first start. */
export interface ProcessRef {
  name: string;
  type: string;
  index: number;
  generation: number;
  alive: boolean;
}

export interface ChaosOptions {
  /** probability, per request, that a process is restarted (or killed) just before the request is routed */
  restart?: number;
  /** probability, per request, that the process serving it is killed while it is handling it */
  midRequest?: number;
  /** kill (no shutdown hook) instead of a graceful restart */
  kill?: boolean;
}

export interface Routed {
  response: WireResponse;
  servedBy: string;
  generation: number;
  requestId: number;
}

type ServiceTable = Record<string, Record<string, (...args: unknown[]) => unknown>>;

interface Pending {
  resolve(response: WireResponse): void;
  /** "GET /visits", for messages */
  what: string;
}

/** One process: a name that lives across restarts, and the isolate of its current generation. */
interface Slot {
  ref: ProcessRef;
  port?: ProcessPort;
  state: 'starting' | 'ready' | 'stopping' | 'dead';
  inFlight: Map<number, Pending>;
  /** backing-service calls of this process not answered yet */
  callsPending: number;
  /** messages sent to this generation, and how many it said it has received and run (its last 'idle') */
  sent: number;
  seen: number;
  /** its messages held back while another process is still running (see #deliver) */
  outbox: FromProcess[];
  /** requests it has answered, though the answer may still be held back */
  answered: Set<number>;
  /** timers it has set and not yet fired or cleared, as of its last idle report */
  timers: number;
  /** console lines of this generation */
  logs: number;
  watch?: Watch;
  /** chaos: kill this process at its next backing-service call (or before its response leaves) */
  killMidRequest?: number;
  /** the first crash of this generation, reported once */
  ended?: string;
  boot?: { resolve(): void; reject(error: Error): void };
  stopped?: () => void;
  /** waiting for its report that it has run every message it was sent */
  quiet?: () => void;
}

export class Cluster {
  readonly #host: ProcessHost;
  readonly #app: ClusterApp;
  readonly #services: ServiceTable;
  readonly #trace: Trace;
  readonly #now: () => number;
  readonly #random: Random;
  readonly #seed: number;
  readonly #limits: ClusterLimits;
  readonly #balancer: Balancer;
  readonly #slots = new Map<string, Slot>();
  #disk: Record<string, Uint8Array> = {};
  #release = 0;
  #nextRequest = 1;
  #chaos: ChaosOptions | null = null;
  /** after shutdown nothing more happens: no restart, no time-out, no trace event */
  #closed = false;
  /** restarts the platform started by itself (after a crash): requests wait for them, so runs replay */
  #recovering = new Set<Promise<unknown>>();

  constructor(options: {
    host: ProcessHost;
    app: ClusterApp;
    services: ServiceTable;
    trace: Trace;
    now: () => number;
    random: Random;
    seed: number;
    limits?: Partial<ClusterLimits>;
  }) {
    this.#host = options.host;
    this.#app = options.app;
    this.#services = options.services;
    this.#trace = options.trace;
    this.#now = options.now;
    this.#random = options.random;
    this.#seed = options.seed;
    this.#limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.#balancer = new Balancer(options.random);
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
        const ref: ProcessRef = { name: `${type}.${index}`, type, index, generation: 0, alive: false };
        this.#slots.set(ref.name, {
          ref, state: 'dead', inFlight: new Map(), callsPending: 0, timers: 0, logs: 0, sent: 0, seen: 0, outbox: [], answered: new Set(),
        });
      }
      // Sequential boots keep the trace in the same order on every run.
      for (const slot of existing.filter((slot) => slot.ref.index > count)) {
        await this.#stop(slot, 'scaled down');
        this.#slots.delete(slot.ref.name);
      }
      for (const slot of this.#slots.values()) {
        if (slot.ref.type === type && slot.state === 'dead') await this.#boot(slot);
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
    await this.#stop(slot, 'restarted');
    await this.#boot(slot);
    return { ...slot.ref };
  }

  async restartAll(): Promise<void> {
    await this.#settle();
    for (const slot of this.#slots.values()) {
      await this.#stop(slot, 'restarted');
      await this.#boot(slot);
    }
  }

  async kill(process: ProcessRef | string): Promise<ProcessRef> {
    const slot = this.#slot(process);
    await this.#settle();
    this.#end(slot, 'kill', 'killed (no shutdown hook ran)');
    await this.#boot(slot);
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
    this.#chaos = options;
  }

  /** End every process (the run is over). */
  shutdown(): void {
    this.#closed = true;
    for (const slot of this.#slots.values()) {
      slot.watch?.stop();
      slot.watch = undefined;
      slot.boot?.reject(new Error('the test has ended: its cluster is shut down'));
      slot.boot = undefined;
      for (const pending of slot.inFlight.values()) pending.resolve(plainResponse(502, 'the test ended before this request was answered'));
      slot.inFlight.clear();
      this.#letGo(slot);
      slot.state = 'dead';
      slot.ref.alive = false;
    }
  }

  // ---- requests ----

  async route(request: WireRequest, pinned?: string): Promise<Routed> {
    if (this.#closed) throw new Error('the test has ended: its cluster is shut down');
    await this.#settle();
    await this.#maybeChaosBeforeRequest();
    const id = this.#nextRequest++;
    const path = new URL(request.url).pathname;
    const live = [...this.#slots.values()].filter(
      (slot) => slot.state === 'ready' && slot.ref.type === 'web',
    );
    if (live.length === 0) {
      this.#trace.add({ kind: 'request', id, method: request.method, path, process: 'balancer', generation: 0, policy: this.#balancer.policy });
      this.#trace.add({ kind: 'response', id, status: 503, process: 'balancer', generation: 0, error: 'no web process is running' });
      return { response: plainResponse(503, 'no web process is running'), servedBy: 'balancer', generation: 0, requestId: id };
    }
    const slot = this.#balancer.choose(
      live.map((candidate) => ({ name: candidate.ref.name, slot: candidate })),
      pinned,
    ).slot;
    const { name, generation } = slot.ref;
    const sent = bodyText(request.body);
    this.#trace.add({ kind: 'request', id, method: request.method, path, process: name, generation, policy: this.#balancer.policy, ...(sent !== undefined ? { body: sent } : {}) });
    if (this.#chaos?.midRequest && this.#random() < this.#chaos.midRequest) slot.killMidRequest = id;

    const started = performance.now();
    const response = await new Promise<WireResponse>((resolve) => {
      slot.inFlight.set(id, { resolve, what: `${request.method} ${path}` });
      this.#send(slot, { t: 'request', id, request, now: this.#now() });
    });
    if (this.#balancer.policy === 'sticky') {
      response.headers.push(['set-cookie', `${STICKY_COOKIE}=${name}; Path=/; HttpOnly`]);
    }
    const error = response.headers.find(([header]) => header === 'x-dojo-error')?.[1];
    const answered = bodyText(response.body);
    this.#trace.add({
      kind: 'response', id, status: response.status, process: name, generation,
      ms: Math.round((performance.now() - started) * 100) / 100,
      ...(error ? { error } : {}),
      ...(answered !== undefined ? { body: answered } : {}),
    });
    return { response, servedBy: name, generation, requestId: id };
  }

  // ---- internals ----

  #slot(process: ProcessRef | string): Slot {
    const name = typeof process === 'string' ? process : process.name;
    const slot = this.#slots.get(name);
    if (!slot) throw new Error(`there is no process named '${name}' (running: ${[...this.#slots.keys()].join(', ') || 'none'})`);
    return slot;
  }

  async #settle(): Promise<void> {
    while (this.#recovering.size > 0) await Promise.allSettled([...this.#recovering]);
  }

  async #maybeChaosBeforeRequest(): Promise<void> {
    const chaos = this.#chaos;
    if (!chaos?.restart || this.#random() >= chaos.restart) return;
    const candidates = [...this.#slots.values()].filter((slot) => slot.state === 'ready');
    if (candidates.length === 0) return;
    const victim = candidates[Math.floor(this.#random() * candidates.length)]!;
    this.#trace.add({ kind: 'chaos', action: chaos.kill ? 'kill' : 'restart', process: victim.ref.name });
    if (chaos.kill) this.#end(victim, 'kill', 'killed by chaos (no shutdown hook ran)');
    else await this.#stop(victim, 'restarted by chaos');
    await this.#boot(victim);
  }

  async #newRelease(): Promise<void> {
    this.#release += 1;
    this.#disk = this.#app.build ? await this.#runBuild() : {};
    this.#trace.add({ kind: 'release', release: this.#release, built: Boolean(this.#app.build) });
  }

  /** The build stage: one throwaway process runs the kata's build; its disk becomes every process's starting disk. */
  async #runBuild(): Promise<Record<string, Uint8Array>> {
    const port = await this.#host.spawn();
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise((resolve, reject) => {
        // Runaway work is caught by its step budget; this is only the last resort.
        const limit = this.#limits.lastResortMs;
        timer = setTimeout(() => reject(new LearnerError(`the build step did not finish within ${limit / 1000} s`)), limit);
        const fail = (error: WireError) => reject(new LearnerError(`the build step failed: ${describeWireError(error)}`, locationOf(error)));
        port.onDeath((reason) => reject(new LearnerError(`the build step ${reason}`)));
        port.onMessage((raw) => {
          const checked = checkInbound(raw);
          if (!checked.ok) return reject(new LearnerError(`the build step ${checked.reason}`));
          const message = checked.message;
          if (message.t === 'ready') port.send({ t: 'build', now: this.#now() });
          else if (message.t === 'boot-error' || message.t === 'build-error' || message.t === 'fatal' || message.t === 'runaway') fail(message.error);
          else if (message.t === 'built') resolve(message.disk);
          else if (message.t === 'call') this.#serveCall(undefined, port, message);
          else if (message.t === 'log') this.#trace.add({ kind: 'log', process: 'build', generation: this.#release, level: message.level, text: message.text });
        });
        port.send({
          t: 'boot', modules: this.#app.modules, sources: this.#app.sources ?? {}, entry: this.#app.build!, disk: {}, vars: this.#app.vars ?? {}, now: this.#now(),
          info: { name: 'build', type: 'build', index: 1, generation: this.#release, seed: deriveSeed(this.#seed, 'build', this.#release) },
          ...(this.#limits.budget ? { budget: this.#limits.budget } : {}),
        });
      });
    } finally {
      clearTimeout(timer);
      port.terminate();
    }
  }

  async #boot(slot: Slot): Promise<void> {
    if (this.#closed) throw new Error('the test has ended: its cluster is shut down');
    const started = performance.now();
    slot.ref.generation += 1;
    slot.callsPending = 0;
    slot.timers = 0;
    slot.logs = 0;
    slot.sent = 0;
    slot.seen = 0;
    slot.outbox = [];
    slot.answered = new Set();
    slot.state = 'starting';
    slot.ended = undefined;
    slot.killMidRequest = undefined;
    const { name, type, index, generation } = slot.ref;
    const port = await this.#host.spawn();
    if (this.#closed) {
      port.terminate();
      throw new Error('the test has ended: its cluster is shut down');
    }
    slot.port = port;
    port.onMessage((raw) => {
      const checked = checkInbound(raw);
      if (checked.ok) this.#onMessage(slot, port, checked.message);
      else if (slot.port === port) this.#crash(slot, checked.reason);
    });
    port.onDeath((reason) => {
      if (slot.port === port) this.#crash(slot, reason);
    });
    const booted = new Promise<void>((resolve, reject) => {
      slot.boot = { resolve, reject };
    });
    slot.watch = watch({
      idle: () => this.#idle(slot),
      waitingOnService: () => slot.callsPending > 0,
      owes: () => slot.state === 'starting' || slot.inFlight.size > 0,
      idleMs: this.#limits.idleTimeoutMs,
      lastResortMs: this.#limits.lastResortMs,
      onExpire: (kind) => {
        if (slot.port === port) this.#crash(slot, this.#overdue(slot, kind));
      },
    });
    this.#send(slot, {
      t: 'boot', modules: this.#app.modules, sources: this.#app.sources ?? {}, entry: this.#app.processes[type]!, disk: this.#disk,
      vars: this.#app.vars ?? {}, now: this.#now(),
      info: { name, type, index, generation, seed: deriveSeed(this.#seed, name, generation) },
      ...(this.#limits.budget ? { budget: this.#limits.budget } : {}),
    });
    try {
      await booted;
    } finally {
      slot.boot = undefined;
    }
    slot.state = 'ready';
    slot.ref.alive = true;
    this.#trace.add({ kind: 'start', process: name, generation, startMs: Math.round((performance.now() - started) * 100) / 100 });
  }

  /** Graceful stop: the shutdown hook runs (within a grace period), then the isolate ends. */
  async #stop(slot: Slot, reason: string): Promise<void> {
    if (slot.state !== 'ready' || !slot.port) return;
    slot.state = 'stopping';
    // The hooks run until they finish, or until the process has nothing left to run (they never will): decided by
    // what the process reports, not by a grace period that a slow machine could overrun.
    await new Promise<void>((resolve) => {
      slot.stopped = resolve;
      this.#send(slot, { t: 'stop', now: this.#now() });
    });
    slot.stopped = undefined;
    // Its report that it has run everything it was sent, so a quiet isolate can be reused (see #letGo).
    if (!slot.ended && slot.seen < slot.sent) await new Promise<void>((resolve) => (slot.quiet = resolve));
    slot.quiet = undefined;
    this.#end(slot, 'stop', reason);
  }

  /** The isolate ends now: memory, timers and local disk go with it; requests in flight get a 502. */
  #end(slot: Slot, kind: 'stop' | 'kill' | 'crash', reason: string): void {
    if (slot.ended || this.#closed) return;
    slot.ended = reason;
    slot.killMidRequest = undefined;
    slot.watch?.stop();
    slot.watch = undefined;
    slot.stopped?.();
    slot.quiet?.();
    // What it said before it ended still happened: its console lines and answers (its calls die with it).
    if (slot.port) {
      for (const message of slot.outbox.splice(0)) if (message.t !== 'call') this.#handle(slot, slot.port, message);
    }
    if (kind === 'stop') this.#letGo(slot);
    else slot.port?.terminate();
    slot.port = undefined;
    slot.ref.alive = false;
    const wasBooting = slot.state === 'starting';
    slot.state = 'dead';
    this.#trace.add({ kind, process: slot.ref.name, generation: slot.ref.generation, reason });
    for (const [, pending] of slot.inFlight) {
      pending.resolve(plainResponse(502, `${slot.ref.name} ${reason} before it answered`));
    }
    slot.inFlight.clear();
    if (wasBooting) slot.boot?.reject(new LearnerError(`${slot.ref.name} ${reason}`));
    this.#flushIfQuiet(); // others may have been waiting for this one
  }

  /** A crash: the process ends and, like a platform's process manager, the cluster starts a new generation. */
  #crash(slot: Slot, reason: string, location?: { file: string; line: number; column: number }): void {
    if (slot.ended || this.#closed) return;
    const wasBooting = slot.state === 'starting';
    const boot = slot.boot;
    slot.boot = undefined;
    this.#end(slot, 'crash', reason);
    if (wasBooting) {
      boot?.reject(new LearnerError(`${slot.ref.name} crashed at start-up: ${reason}`, location));
      return;
    }
    this.#recover(slot);
  }

  /**
   * End a generation that stopped or outlived its test: an isolate with nothing left to run is handed back for
   * reuse (a fresh runtime and Compartment there, so nothing of this generation survives); any other is killed.
   */
  #letGo(slot: Slot): void {
    const port = slot.port;
    slot.port = undefined;
    if (!port) return;
    if (port.release && this.#idle(slot) && slot.inFlight.size === 0) port.release();
    else port.terminate();
  }

  /** It has run everything it was sent and waits on no call or timer: only a new message can wake it. */
  #idle(slot: Slot): boolean {
    return slot.seen >= slot.sent && slot.callsPending === 0 && slot.timers === 0 && slot.outbox.length === 0;
  }

  #overdue(slot: Slot, kind: Expiry): string {
    const owed = slot.state === 'starting' ? 'did not finish starting' : `did not answer ${[...slot.inFlight.values()][0]?.what ?? 'a request'}`;
    return kind === 'idle'
      ? `${owed}: it had nothing left to run, so it was waiting for a promise that never settles, and was stopped`
      : `${owed} within ${this.#limits.lastResortMs / 1000} s of its own time and was stopped (if the machine is very busy, try again)`;
  }

  #send(slot: Slot, message: ToProcess): void {
    slot.port!.send(message); // may throw (a value that cannot be cloned): then it was not sent
    slot.sent += 1;
  }

  /**
   * Messages from processes are handled in an order the seed decides, not thread timing: while one process runs,
   * another's calls, answers and logs wait, and are handled (by process name, each in its own order) once every
   * process has run all it can. With one process running, nothing waits, so sequential tests pay nothing.
   */
  #onMessage(slot: Slot, port: ProcessPort, message: FromProcess): void {
    if (slot.port !== port || this.#closed) return; // a message from a generation that has already ended
    if (message.t === 'idle') {
      slot.seen = message.seen;
      slot.timers = message.timers;
      this.#flushIfQuiet();
      // A stop whose hooks wait on nothing that can still happen is over.
      if (slot.state === 'stopping' && this.#idle(slot)) slot.stopped?.();
      if (slot.seen >= slot.sent) slot.quiet?.();
      return;
    }
    slot.watch?.poke();
    if (message.t !== 'call' && message.t !== 'response' && message.t !== 'request-error' && message.t !== 'log') {
      this.#handle(slot, port, message);
      return;
    }
    if (message.t === 'call') slot.callsPending += 1; // waiting, held back or not, is not the process's own time
    if (message.t !== 'call' && message.t !== 'log') slot.answered.add(message.id);
    const othersQuiet = [...this.#slots.values()].every(
      (other) => other === slot || !other.port || (other.seen >= other.sent && other.outbox.length === 0),
    );
    if (othersQuiet && slot.outbox.length === 0) this.#handle(slot, port, message);
    else slot.outbox.push(message);
  }

  #flushIfQuiet(): void {
    const live = [...this.#slots.values()].filter((slot) => slot.port);
    if (!live.every((slot) => slot.seen >= slot.sent)) return;
    for (const slot of live.sort((a, b) => a.ref.name.localeCompare(b.ref.name, 'en', { numeric: true }))) {
      for (const message of slot.outbox.splice(0)) if (slot.port) this.#handle(slot, slot.port, message);
    }
  }

  #handle(slot: Slot, port: ProcessPort, message: FromProcess): void {
    const { name, generation } = slot.ref;
    switch (message.t) {
      case 'ready':
        slot.boot?.resolve();
        break;
      case 'boot-error':
        this.#crash(slot, describeWireError(message.error), locationOf(message.error));
        break;
      case 'response':
      case 'request-error': {
        const pending = slot.inFlight.get(message.id);
        if (!pending) break;
        if (slot.killMidRequest === message.id) {
          this.#trace.add({ kind: 'chaos', action: 'kill mid-request', process: name });
          this.#end(slot, 'kill', 'killed by chaos while handling a request');
          this.#recover(slot);
          break;
        }
        slot.inFlight.delete(message.id);
        if (message.t === 'response') pending.resolve(message.response);
        else {
          const text = describeWireError(message.error);
          this.#trace.add({ kind: 'log', process: name, generation, level: 'error', text: `uncaught in fetch(): ${text}` });
          pending.resolve(plainResponse(500, text, true));
        }
        break;
      }
      case 'call':
        if (slot.killMidRequest !== undefined) {
          this.#trace.add({ kind: 'chaos', action: 'kill mid-request', process: name });
          this.#end(slot, 'kill', 'killed by chaos while handling a request');
          this.#recover(slot);
          break;
        }
        this.#serveCall(slot, port, message);
        break;
      case 'log':
        slot.logs += 1;
        if (slot.logs < MAX_LOG_LINES) this.#trace.add({ kind: 'log', process: name, generation, level: message.level, text: message.text });
        else if (slot.logs === MAX_LOG_LINES) {
          this.#trace.add({ kind: 'log', process: name, generation, level: 'warn', text: `… more output from ${name} was dropped` });
        }
        break;
      case 'runaway': {
        const { file, line, column, message: text } = message.error;
        this.#crash(slot, `${text}${file ? ` (${file}:${line}:${column})` : ''}, and was stopped`, locationOf(message.error));
        break;
      }
      case 'fatal':
        this.#crash(
          slot,
          `crashed: ${message.cause === 'rejection' ? 'unhandled promise rejection' : 'uncaught exception'}: ${describeWireError(message.error)}`,
          locationOf(message.error),
        );
        break;
      case 'exit':
        this.#crash(slot, `called process.exit(${message.code})`);
        break;
      case 'stopped':
        slot.stopped?.();
        break;
    }
  }

  /** Start the next generation in the background; the next request or lifecycle call waits for it. */
  #recover(slot: Slot): void {
    if (this.#closed || slot.state === 'starting') return;
    const recovery = this.#boot(slot).catch(() => undefined);
    this.#recovering.add(recovery);
    void recovery.finally(() => this.#recovering.delete(recovery));
  }

  #serveCall(slot: Slot | undefined, port: ProcessPort, message: Extract<FromProcess, { t: 'call' }>): void {
    const { cid, service, method, args } = message;
    const process = slot?.ref.name ?? 'build';
    const generation = slot?.ref.generation ?? this.#release;
    const requestId = slot && slot.inFlight.size === 1 ? [...slot.inFlight.keys()][0] : undefined;
    // The one-line summary keeps the timeline readable; what was stored is kept in full beside it when it was clipped.
    const record = (outcome: { result?: string; error?: string }, value?: unknown) => {
      const line = { args: summarize(args), ...(outcome.result !== undefined ? { result: outcome.result } : {}) };
      const full = { args: summarize(args, MAX_VALUE_CHARS), ...(outcome.result !== undefined ? { result: summarize(value, MAX_VALUE_CHARS) } : {}) };
      const clipped = full.args !== line.args || full.result !== line.result;
      this.#trace.add({ kind: 'call', process, generation, ...(requestId ? { requestId } : {}), service, method, args: line.args, ...outcome, ...(clipped ? { full } : {}) });
    };
    const answered = () => {
      if (!slot || slot.port !== port) return;
      slot.callsPending -= 1;
      slot.watch?.poke();
    };
    /** Answer the call, unless the generation that made it has ended. */
    const reply = (message: Extract<ToProcess, { t: 'return' }>) => {
      if (!slot) port.send(message);
      else if (slot.port === port) this.#send(slot, message);
    };
    if (!isServiceMethod(service, method)) {
      answered();
      record({ error: `no such method ${service}.${method}` });
      reply({ t: 'return', cid, ok: false, error: `env.${service}.${method} is not a function` });
      return;
    }
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(this.#services[service]![method]!(...args));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome.then(
      (value) => {
        answered();
        record({ result: summarize(value) }, value);
        try {
          reply({ t: 'return', cid, ok: true, value });
        } catch (error) {
          reply({ t: 'return', cid, ok: false, error: `the result of ${service}.${method} could not be sent: ${String(error)}` });
        }
      },
      (error: unknown) => {
        answered();
        const text = error instanceof Error ? error.message : String(error);
        record({ error: text });
        reply({ t: 'return', cid, ok: false, error: text });
      },
    );
  }
}

function plainResponse(status: number, text: string, fromApp = false): WireResponse {
  const headers: [string, string][] = [['content-type', 'text/plain; charset=utf-8']];
  if (!fromApp || status >= 500) headers.push(['x-dojo-error', text]);
  return { status, headers, body: new TextEncoder().encode(text) };
}
