// Runs each call on our store and on a real Redis in lockstep, and judges every pair of answers.
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { VirtualClock } from '../../src/engine/core/clock.ts';
import { MemoryKeyValue } from '../../src/engine/services/kv.ts';
import type { KeyValue } from '../../src/engine/services/types.ts';
import { DIFFERENCES, type DifferenceId } from './differences.ts';
import { errorCode } from './error-codes.ts';
import { RespKeyValue } from './redis-kv.ts';
import type { RespClient } from './resp.ts';

/** A key read before its deadline must have at least this long left, so no answer depends on the machine's speed. */
export const LONG_TTL_MS = 3_600_000;

/**
 * Milliseconds of leeway between Redis's clock and ours: Redis truncates its time to whole milliseconds (up to 1 ms
 * off either way) and reads the wall clock, which NTP may slew by a fraction of a millisecond per second.
 */
const CLOCK_MARGIN_MS = 3;

export type Outcome = { value: unknown } | { error: string };

export type Verdict =
  /** the same answer */
  | 'same'
  /** a remaining time within what the wall clock allows (see 'remaining-time-on-a-still-clock') */
  | 'within-bounds'
  /** different, as a declared difference says */
  | 'documented'
  /** different, and nothing says why: a bug in our model (or in the suite) */
  | 'MISMATCH'
  /** declared as a difference but the same: the difference list is out of date */
  | 'STALE'
  /** the step would read a key whose short TTL is still running: its answer would depend on the machine's speed */
  | 'TIMING';

export interface Step {
  call: string;
  ours: Outcome;
  redis: Outcome;
  verdict: Verdict;
  note?: string;
}

export const FAILING: ReadonlySet<Verdict> = new Set(['MISMATCH', 'STALE', 'TIMING']);

async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: errorCode((error as Error).message) };
  }
}

function describeCall(method: string, args: unknown[]): string {
  return `${method}(${args.map((arg) => JSON.stringify(arg) ?? String(arg)).join(', ')})`;
}

/** Every string in the arguments, object keys included: the keys a call may read. */
function stringsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      stringsIn(item, into);
    }
  }
  return into;
}

/** Redis' TTL from milliseconds: rounded to the nearest second. */
const roundTtl = (ms: number) => Math.floor((ms + 500) / 1000);

const sortedIfArray = (value: unknown) => (Array.isArray(value) ? [...value].sort() : value);

/** What one sequence sees: `kv` runs each call on both stores; `advance` moves both clocks. */
export interface TwinApi {
  kv: KeyValue;
  /** moves our virtual clock by `ms`, and waits at least that long (plus Redis' one millisecond) for Redis's */
  advance(ms: number): Promise<void>;
  /** runs calls whose answers must differ, for the reason the named difference gives */
  differs(id: DifferenceId, calls: () => Promise<unknown>): Promise<void>;
  /** subscribes one more listener to `channel`, on Redis and in the supervisor's place on our side */
  subscribe(channel: string): Promise<void>;
  /** compares what every listener received so far */
  received(): Promise<void>;
}

export class Twin implements TwinApi {
  readonly steps: Step[] = [];
  readonly kv: KeyValue;
  readonly #clock = new VirtualClock();
  readonly #ours: MemoryKeyValue;
  readonly #redis: RespKeyValue;
  readonly #connect: () => Promise<RespClient>;
  readonly #wallStart = performance.now();
  #advanced = 0;
  #declared: DifferenceId | null = null;
  /** our side's subscribers: what each received, by channel */
  readonly #listeners = new Map<string, string[][]>();
  readonly #redisListeners: { channel: string; client: RespClient }[] = [];

  constructor(redis: RespClient, connect: () => Promise<RespClient>) {
    this.#redis = new RespKeyValue(redis);
    this.#connect = connect;
    this.#ours = new MemoryKeyValue(this.#clock, {
      // Plays the supervisor: delivers to this channel's listeners and counts them, as Redis does.
      publish: (channel, message) => {
        const listeners = this.#listeners.get(channel) ?? [];
        for (const inbox of listeners) inbox.push(message);
        return listeners.length;
      },
    });
    // Sequences take these apart (`async run({ kv, advance })`), so they must not depend on `this`.
    this.advance = this.advance.bind(this);
    this.differs = this.differs.bind(this);
    this.subscribe = this.subscribe.bind(this);
    this.received = this.received.bind(this);
    this.kv = new Proxy({} as KeyValue, {
      get: (_, method: string) => (...args: unknown[]) => this.#step(method, args),
    });
  }

  async advance(ms: number): Promise<void> {
    this.#clock.advance(ms);
    this.#advanced += ms;
    // Redis drops a key 1 ms after its deadline, and its wall clock may run a little slower than our monotonic one
    // (NTP slewing): waiting ms + CLOCK_MARGIN_MS makes its clock pass every deadline ours did.
    const until = performance.now() + ms + CLOCK_MARGIN_MS;
    while (performance.now() < until) await new Promise((resolve) => setTimeout(resolve, until - performance.now()));
  }

  async differs(id: DifferenceId, calls: () => Promise<unknown>): Promise<void> {
    if (!DIFFERENCES[id].observable) throw new Error(`difference ${id} is not observable: it cannot be declared on a step`);
    this.#declared = id;
    try {
      await calls();
    } finally {
      this.#declared = null;
    }
  }

  async subscribe(channel: string): Promise<void> {
    const client = await this.#connect();
    await client.subscribe(channel);
    this.#redisListeners.push({ channel, client });
    this.#listeners.set(channel, [...(this.#listeners.get(channel) ?? []), []]);
  }

  async received(): Promise<void> {
    const theirs: string[][] = [];
    for (const { client } of this.#redisListeners) {
      // A PING's reply comes after every message pushed before it, so the inbox is complete once it is back.
      await client.call('PING');
      theirs.push(client.pushed.map((push) => (push as string[])[2]!));
    }
    const ours = [...this.#listeners.values()].flat();
    // Listeners were added channel by channel on our side, in order on Redis's: compare each channel's group.
    const order = this.#redisListeners.map(({ channel }) => channel);
    const theirsByChannel = [...new Set(order)].flatMap((channel) => theirs.filter((_, i) => order[i] === channel));
    const same = isDeepStrictEqual(ours, theirsByChannel);
    this.steps.push({
      call: 'received()',
      ours: { value: ours },
      redis: { value: theirsByChannel },
      verdict: same ? 'same' : 'MISMATCH',
    });
  }

  close(): void {
    for (const { client } of this.#redisListeners) client.close();
  }

  async #step(method: string, args: unknown[]): Promise<unknown> {
    const call = describeCall(method, args);
    const racing = await this.#shortTtlKeys(method, args);
    if (racing.length > 0) {
      const note = `reads ${racing.join(', ')} before its short TTL ran out: advance past the deadline first, or give it ${LONG_TTL_MS} ms or more`;
      this.steps.push({ call, ours: { value: undefined }, redis: { value: undefined }, verdict: 'TIMING', note });
      return undefined;
    }
    const run = (store: KeyValue) => (store as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method]!(...args);
    const ours = await settle(() => run(this.#ours));
    const oursPttl = method === 'ttl' ? await this.#ours.pttl(args[0] as string) : undefined;
    const redis = await settle(() => run(this.#redis));
    const { verdict, note } = this.#judge(method, ours, redis, oursPttl);
    this.steps.push({ call, ours, redis, verdict, ...(note ? { note } : {}) });
    return 'value' in ours ? ours.value : undefined;
  }

  /** Keys this call may read whose TTL on our side is running and short. */
  async #shortTtlKeys(method: string, args: unknown[]): Promise<string[]> {
    const candidates = method === 'keys' ? await this.#ours.keys('*') : [...stringsIn(args)];
    const racing: string[] = [];
    for (const key of candidates) {
      const left = await this.#ours.pttl(key);
      if (left >= 0 && left < LONG_TTL_MS) racing.push(key);
    }
    return racing;
  }

  #judge(method: string, ours: Outcome, redis: Outcome, oursPttl: number | undefined): { verdict: Verdict; note?: string } {
    let verdict: Verdict;
    let note: string | undefined;
    if ('value' in ours && 'value' in redis && (method === 'ttl' || method === 'pttl') && (ours.value as number) >= 0) {
      // Redis's clock ran for at most the wall time that passed; ours only for what advance() added.
      const slack = performance.now() - this.#wallStart - this.#advanced + CLOCK_MARGIN_MS;
      const mine = method === 'pttl' ? (ours.value as number) : oursPttl!;
      const [low, high] = method === 'pttl' ? [mine - slack, mine] : [roundTtl(Math.max(mine - slack, 0)), roundTtl(mine)];
      const theirs = redis.value as number;
      const ok = (method === 'pttl' || ours.value === roundTtl(mine)) && theirs >= low && theirs <= high;
      verdict = ok ? 'within-bounds' : 'MISMATCH';
      note = `Redis must answer between ${Math.ceil(low)} and ${high} (${Math.round(slack)} ms of wall time outside advance())`;
    } else {
      const normal = (outcome: Outcome) =>
        'value' in outcome && (method === 'keys' || method === 'smembers') ? { value: sortedIfArray(outcome.value) } : outcome;
      verdict = isDeepStrictEqual(normal(ours), normal(redis)) ? 'same' : 'MISMATCH';
    }
    if (this.#declared !== null) {
      note = `declared difference: ${this.#declared}`;
      verdict = verdict === 'MISMATCH' ? 'documented' : 'STALE';
    }
    return note === undefined ? { verdict } : { verdict, note };
  }
}
