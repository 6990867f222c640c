// Our KeyValue interface over a real Redis connection, translated as a client library would: one command per call.
import type {
  KeyValue,
  ListEnd,
  ScoreBound,
  ScoredMember,
  SetOptions,
  StreamEntry,
  StreamRead,
  ZRangeByScoreOptions,
  ZRangeOptions,
} from '../../src/engine/services/types.ts';
import { RespError, type RespClient, type RespReply } from './resp.ts';

type Arg = string | number;

/** A number as Redis reads a score: infinities spelled its way. */
function score(value: ScoreBound): string {
  if (value === Infinity) return '+inf';
  if (value === -Infinity) return '-inf';
  return String(value);
}

function parseScore(text: RespReply): number {
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

function pairs(flat: RespReply): [string, string][] {
  const items = flat as string[];
  const result: [string, string][] = [];
  for (let i = 0; i < items.length; i += 2) result.push([items[i]!, items[i + 1]!]);
  return result;
}

function scored(flat: RespReply): ScoredMember[] {
  return pairs(flat).map(([member, value]) => ({ member, score: parseScore(value) }));
}

function entries(reply: RespReply): StreamEntry[] {
  // Redis 7.0 answers XRANGE … COUNT 0 with nil: passed on as it comes (see the 'xrange-count-0' difference).
  if (reply === null) return null as unknown as StreamEntry[];
  return (reply as [string, RespReply][]).map(([id, fields]) => ({ id, fields: Object.fromEntries(pairs(fields)) }));
}

function limit(options: { LIMIT?: { offset: number; count: number } } | undefined): Arg[] {
  return options?.LIMIT ? ['LIMIT', options.LIMIT.offset, options.LIMIT.count] : [];
}

export class RespKeyValue implements KeyValue {
  readonly #client: RespClient;

  constructor(client: RespClient) {
    this.#client = client;
  }

  /** Sends a command; an error reply is thrown as an Error with Redis' message, as client libraries do. */
  async #call(...args: Arg[]): Promise<RespReply> {
    const reply = await this.#client.call(...args);
    if (reply instanceof RespError) throw new Error(reply.message);
    return reply;
  }

  async get(key: string) {
    return (await this.#call('GET', key)) as string | null;
  }
  async set(key: string, value: string | number, options: SetOptions & { GET: true }): Promise<string | null>;
  async set(key: string, value: string | number, options?: SetOptions): Promise<'OK' | null>;
  async set(key: string, value: string | number, options: SetOptions = {}): Promise<string | null> {
    const args: Arg[] = ['SET', key, value];
    if (options.EX !== undefined) args.push('EX', options.EX);
    if (options.PX !== undefined) args.push('PX', options.PX);
    if (options.KEEPTTL) args.push('KEEPTTL');
    if (options.NX) args.push('NX');
    if (options.XX) args.push('XX');
    if (options.GET) args.push('GET');
    return (await this.#call(...args)) as string | null;
  }
  async mget(...keys: string[]) {
    return (await this.#call('MGET', ...keys)) as (string | null)[];
  }
  async mset(values: Record<string, string | number>) {
    return (await this.#call('MSET', ...Object.entries(values).flat())) as 'OK';
  }
  async getdel(key: string) {
    return (await this.#call('GETDEL', key)) as string | null;
  }
  async del(...keys: string[]) {
    return (await this.#call('DEL', ...keys)) as number;
  }
  async exists(...keys: string[]) {
    return (await this.#call('EXISTS', ...keys)) as number;
  }
  async incr(key: string) {
    return (await this.#call('INCR', key)) as number;
  }
  async incrBy(key: string, by: number) {
    return (await this.#call('INCRBY', key, by)) as number;
  }
  async decr(key: string) {
    return (await this.#call('DECR', key)) as number;
  }
  async expire(key: string, seconds: number) {
    return (await this.#call('EXPIRE', key, seconds)) as number;
  }
  async pexpire(key: string, ms: number) {
    return (await this.#call('PEXPIRE', key, ms)) as number;
  }
  async ttl(key: string) {
    return (await this.#call('TTL', key)) as number;
  }
  async pttl(key: string) {
    return (await this.#call('PTTL', key)) as number;
  }
  async keys(pattern: string) {
    return (await this.#call('KEYS', pattern)) as string[];
  }

  async hset(key: string, field: string | Record<string, string | number>, value?: string | number) {
    const fields = typeof field === 'string' ? [field, value!] : Object.entries(field).flat();
    return (await this.#call('HSET', key, ...fields)) as number;
  }
  async hget(key: string, field: string) {
    return (await this.#call('HGET', key, field)) as string | null;
  }
  async hgetall(key: string) {
    return Object.fromEntries(pairs(await this.#call('HGETALL', key)));
  }
  async hdel(key: string, ...fields: string[]) {
    return (await this.#call('HDEL', key, ...fields)) as number;
  }
  async hincrBy(key: string, field: string, by: number) {
    return (await this.#call('HINCRBY', key, field, by)) as number;
  }

  async lpush(key: string, ...values: (string | number)[]) {
    return (await this.#call('LPUSH', key, ...values)) as number;
  }
  async rpush(key: string, ...values: (string | number)[]) {
    return (await this.#call('RPUSH', key, ...values)) as number;
  }
  async lpop(key: string) {
    return (await this.#call('LPOP', key)) as string | null;
  }
  async rpop(key: string) {
    return (await this.#call('RPOP', key)) as string | null;
  }
  async llen(key: string) {
    return (await this.#call('LLEN', key)) as number;
  }
  async lrange(key: string, start: number, stop: number) {
    return (await this.#call('LRANGE', key, start, stop)) as string[];
  }
  async lindex(key: string, index: number) {
    return (await this.#call('LINDEX', key, index)) as string | null;
  }
  async lrem(key: string, count: number, element: string | number) {
    return (await this.#call('LREM', key, count, element)) as number;
  }
  async ltrim(key: string, start: number, stop: number) {
    return (await this.#call('LTRIM', key, start, stop)) as 'OK';
  }
  async lmove(source: string, destination: string, from: ListEnd, to: ListEnd) {
    return (await this.#call('LMOVE', source, destination, from, to)) as string | null;
  }
  async rpoplpush(source: string, destination: string) {
    return (await this.#call('RPOPLPUSH', source, destination)) as string | null;
  }

  async sadd(key: string, ...members: (string | number)[]) {
    return (await this.#call('SADD', key, ...members)) as number;
  }
  async srem(key: string, ...members: (string | number)[]) {
    return (await this.#call('SREM', key, ...members)) as number;
  }
  async smembers(key: string) {
    return (await this.#call('SMEMBERS', key)) as string[];
  }
  async sismember(key: string, member: string | number) {
    return (await this.#call('SISMEMBER', key, member)) as number;
  }
  async scard(key: string) {
    return (await this.#call('SCARD', key)) as number;
  }

  async zadd(key: string, score: number, member: string | number): Promise<number>;
  async zadd(key: string, members: Record<string, number>): Promise<number>;
  async zadd(key: string, scoreOrMembers: number | Record<string, number>, member?: string | number): Promise<number> {
    const args =
      typeof scoreOrMembers === 'number'
        ? [score(scoreOrMembers), member!]
        : Object.entries(scoreOrMembers).flatMap(([name, value]) => [score(value), name]);
    return (await this.#call('ZADD', key, ...args)) as number;
  }
  async zrem(key: string, ...members: (string | number)[]) {
    return (await this.#call('ZREM', key, ...members)) as number;
  }
  async zcard(key: string) {
    return (await this.#call('ZCARD', key)) as number;
  }
  async zscore(key: string, member: string | number) {
    const reply = await this.#call('ZSCORE', key, member);
    return reply === null ? null : parseScore(reply);
  }
  async zrange(key: string, start: ScoreBound, stop: ScoreBound, options: ZRangeOptions & { WITHSCORES: true }): Promise<ScoredMember[]>;
  async zrange(key: string, start: ScoreBound, stop: ScoreBound, options?: ZRangeOptions): Promise<string[]>;
  async zrange(key: string, start: ScoreBound, stop: ScoreBound, options: ZRangeOptions = {}): Promise<string[] | ScoredMember[]> {
    const args: Arg[] = ['ZRANGE', key, score(start), score(stop)];
    if (options.BYSCORE) args.push('BYSCORE');
    if (options.REV) args.push('REV');
    args.push(...limit(options));
    if (options.WITHSCORES) args.push('WITHSCORES');
    const reply = await this.#call(...args);
    return options.WITHSCORES ? scored(reply) : (reply as string[]);
  }
  async zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions & { WITHSCORES: true }): Promise<ScoredMember[]>;
  async zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options?: ZRangeByScoreOptions): Promise<string[]>;
  async zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions = {}): Promise<string[] | ScoredMember[]> {
    const args: Arg[] = ['ZRANGEBYSCORE', key, score(min), score(max)];
    if (options.WITHSCORES) args.push('WITHSCORES');
    args.push(...limit(options));
    const reply = await this.#call(...args);
    return options.WITHSCORES ? scored(reply) : (reply as string[]);
  }
  async zremrangebyscore(key: string, min: ScoreBound, max: ScoreBound) {
    return (await this.#call('ZREMRANGEBYSCORE', key, score(min), score(max))) as number;
  }

  async xadd(key: string, id: string, fields: Record<string, string | number>, options: { MAXLEN?: number } = {}) {
    const trim = options.MAXLEN === undefined ? [] : ['MAXLEN', options.MAXLEN];
    return (await this.#call('XADD', key, ...trim, id, ...Object.entries(fields).flat())) as string;
  }
  async xrange(key: string, start: string, end: string, options: { COUNT?: number } = {}) {
    const count = options.COUNT === undefined ? [] : ['COUNT', options.COUNT];
    return entries(await this.#call('XRANGE', key, start, end, ...count));
  }
  async xread(streams: Record<string, string>, options: { COUNT?: number } = {}): Promise<StreamRead[] | null> {
    const count = options.COUNT === undefined ? [] : ['COUNT', options.COUNT];
    const wanted = Object.entries(streams);
    const reply = await this.#call('XREAD', ...count, 'STREAMS', ...wanted.map(([key]) => key), ...wanted.map(([, id]) => id));
    if (reply === null) return null;
    return (reply as [string, RespReply][]).map(([key, found]) => ({ key, entries: entries(found) }));
  }
  async xlen(key: string) {
    return (await this.#call('XLEN', key)) as number;
  }
  async xtrim(key: string, options: { MAXLEN: number }) {
    return (await this.#call('XTRIM', key, 'MAXLEN', options.MAXLEN)) as number;
  }

  async publish(channel: string, message: string | number) {
    return (await this.#call('PUBLISH', channel, message)) as number;
  }

  // Not compared: a subscribing Redis connection can do nothing else, and our delivery is the supervisor's
  // (see differences.ts); tests/unit/engine/pubsub.test.ts covers it through processes.
  async subscribe(): Promise<void> {
    throw new Error('SUBSCRIBE is not part of the conformance sequences');
  }
  async unsubscribe(): Promise<void> {
    throw new Error('UNSUBSCRIBE is not part of the conformance sequences');
  }
}
