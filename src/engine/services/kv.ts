// An in-memory, Redis-like key-value backing service whose expiry follows a (virtual) clock.
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
} from './types.ts';
import { compareIds, formatId, inRange, parseScoreBound, parseStreamBound, parseStreamId, type StreamId } from './kv-parse.ts';

// Redis' own error messages, word for word: learners match them as they would with a Redis client.
export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';
const HASH_NOT_AN_INTEGER = 'ERR hash value is not an integer';
const INVALID_SET_EXPIRE = "ERR invalid expire time in 'set' command";
const SYNTAX_ERROR = 'ERR syntax error';
const OVERFLOW = 'ERR increment or decrement would overflow';
const NOT_A_FLOAT = 'ERR value is not a valid float';
const LIMIT_WITHOUT_BYSCORE = 'ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX';
const XADD_ID_ZERO = 'ERR The ID specified in XADD must be greater than 0-0';
const XADD_ID_TOO_SMALL = 'ERR The ID specified in XADD is equal or smaller than the target stream top item';
const MAXLEN_NEGATIVE = 'ERR The MAXLEN argument must be >= 0.';

interface Stream {
  entries: { id: StreamId; fields: [string, string][] }[];
  /** the greatest id ever added: it survives trimming, so ids never go back */
  last: StreamId;
}

type Value =
  | { kind: 'string'; data: string }
  | { kind: 'hash'; data: Map<string, string> }
  | { kind: 'list'; data: string[] }
  | { kind: 'set'; data: Set<string> }
  | { kind: 'zset'; data: Map<string, number> }
  | { kind: 'stream'; data: Stream };

/** A stored key: its value plus an absolute expiry time in clock ms (null = never). */
type Entry = Value & { expiresAt: number | null };

type Kind = Value['kind'];
type EntryOf<K extends Kind> = Extract<Value, { kind: K }> & { expiresAt: number | null };

interface Clock {
  now(): number;
}

/**
 * Delivers a PUBLISH: the supervisor gives it, since only it knows which processes subscribed. Returns how many
 * subscribers got the message. Without one, nobody is subscribed.
 */
export type PublishHandler = (channel: string, message: string) => number;

function checkKey(method: string, key: unknown): string {
  if (typeof key !== 'string') throw new TypeError(`kv.${method}: key must be a string, got ${typeof key}`);
  return key;
}

/** Redis stores strings; numbers are accepted as a convenience and stored in their string form. */
function toRedisString(method: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw new TypeError(`kv.${method}: value must be a string or a number, got ${typeof value}`);
}

function checkInteger(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(NOT_AN_INTEGER);
  return value;
}

/** Parses a stored string as Redis does for INCR: canonical decimal integers only (no '+', spaces or leading zeros). */
function parseStoredInteger(text: string, message: string): number {
  if (!/^(0|-?[1-9]\d*)$/.test(text)) throw new Error(message);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(message);
  return n;
}

function addChecked(current: number, by: number): number {
  const result = current + by;
  if (!Number.isSafeInteger(result)) throw new Error(OVERFLOW);
  return result;
}

/** A KEYS pattern as a RegExp, following Redis' matcher: `*`, `?`, `[abc]`, `[a-z]`, `[^a]`, and `\` escapes. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[') {
      const [charClass, end] = globClass(pattern, i + 1);
      source += charClass;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else source += escapeRegExp(ch);
  }
  // 's' so that '?' and '*' also match newlines, as in Redis.
  return new RegExp(`^${source}$`, 's');
}

/**
 * The class that starts at `start` (just past its `[`), as RegExp source, and the index of its `]`. As in Redis:
 * only `^` negates, a reversed range (`[3-1]`) is the same range, `[]` matches nothing, and an unclosed class runs
 * to the end of the pattern.
 */
function globClass(pattern: string, start: number): [source: string, end: number] {
  const escape = (ch: string) => (/[\\\]\[^-]/.test(ch) ? `\\${ch}` : ch);
  let i = start;
  const negate = pattern[i] === '^';
  if (negate) i++;
  let body = '';
  for (; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) body += escape(pattern[++i]!);
    else if (ch === ']') break;
    else if (i + 2 < pattern.length && pattern[i + 1] === '-') {
      const [low, high] = [ch, pattern[i + 2]!].sort();
      body += `${escape(low!)}-${escape(high!)}`;
      i += 2;
    } else body += escape(ch);
  }
  if (body === '') return [negate ? '[\\s\\S]' : '(?!)', i];
  return [`[${negate ? '^' : ''}${body}]`, i];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Converts an expiry option to ms, failing as Redis' SET does: not an integer first, then not positive. */
function expireMs(value: unknown, unitMs: number): number {
  if (checkInteger(value) <= 0) throw new Error(INVALID_SET_EXPIRE);
  return (value as number) * unitMs;
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

function checkEnd(value: unknown): ListEnd {
  if (value !== 'LEFT' && value !== 'RIGHT') throw new Error(SYNTAX_ERROR);
  return value;
}

function checkScore(value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new Error(NOT_A_FLOAT);
  // -0 reaches Redis as "0" through any client (String(-0) is "0"), so it is stored as 0 here too.
  return value === 0 ? 0 : value;
}

/** Redis' order of a sorted set: by score, ties by member (byte order; code-unit order here). */
function byScore(a: ScoredMember, b: ScoredMember): number {
  return a.score - b.score || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0);
}

/** Redis' index arithmetic for LRANGE, LTRIM and rank ranges: negatives count from the end, out of range clamps. */
function clampRange(length: number, start: number, stop: number): [from: number, to: number] {
  const from = Math.max(start < 0 ? length + start : start, 0);
  const to = Math.min(stop < 0 ? length + stop : stop, length - 1);
  return [from, to];
}

/** LIMIT offset count: a negative offset selects nothing, a negative count everything after the offset. */
function applyLimit<T>(items: T[], limit: { offset: number; count: number } | undefined): T[] {
  if (limit === undefined) return items;
  const offset = checkInteger(limit.offset);
  const count = checkInteger(limit.count);
  if (offset < 0) return [];
  return items.slice(offset, count < 0 ? undefined : offset + count);
}

export class MemoryKeyValue implements KeyValue {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();
  #publish: PublishHandler;
  readonly #listeners = new Map<string, Set<(message: string, channel: string) => void>>();

  constructor(clock: Clock, options: { publish?: PublishHandler } = {}) {
    this.#clock = clock;
    this.#publish = options.publish ?? (() => 0);
  }

  /**
   * Not for processes (it is not on the RPC allow-list): the supervisor's hook that delivers what `publish` sends.
   * The store itself keeps no subscribers, as Redis keeps no messages.
   */
  onPublish(handler: PublishHandler): void {
    this.#publish = handler;
  }

  // Every public method below is `async` but never awaits: its whole body runs in one turn, so each call is atomic.

  async get(key: string): Promise<string | null> {
    return this.#typed('get', key, 'string')?.data ?? null;
  }

  async set(key: string, value: string | number, options: SetOptions & { GET: true }): Promise<string | null>;
  async set(key: string, value: string | number, options?: SetOptions): Promise<'OK' | null>;
  async set(key: string, value: string | number, options: SetOptions = {}): Promise<string | null> {
    checkKey('set', key);
    const text = toRedisString('set', value);
    const { EX, PX, NX, XX, KEEPTTL, GET } = options ?? {};
    const expiries = [isGiven(EX), isGiven(PX), Boolean(KEEPTTL)].filter(Boolean).length;
    if (expiries > 1 || (NX && XX)) throw new Error(SYNTAX_ERROR);
    let ttlMs: number | null = null;
    if (isGiven(EX)) ttlMs = expireMs(EX, 1000);
    if (isGiven(PX)) ttlMs = expireMs(PX, 1);

    const previous = this.#live(key);
    // SET … GET answers with the old string, so it fails like GET on another kind of value, before writing.
    if (GET && previous !== undefined && previous.kind !== 'string') throw new Error(WRONGTYPE);
    const answer = (written: boolean) => (GET ? ((previous?.data as string | undefined) ?? null) : written ? 'OK' : null);
    if ((NX && previous !== undefined) || (XX && previous === undefined)) return answer(false);
    // A plain SET drops any previous TTL, as in Redis; KEEPTTL keeps it.
    const expiresAt = KEEPTTL ? (previous?.expiresAt ?? null) : ttlMs === null ? null : this.#clock.now() + ttlMs;
    this.#entries.set(key, { kind: 'string', data: text, expiresAt });
    return answer(true);
  }

  async mget(...keys: string[]): Promise<(string | null)[]> {
    if (keys.length === 0) throw new Error("ERR wrong number of arguments for 'mget' command");
    // Unlike GET, MGET answers null for a key of another kind instead of failing.
    return keys.map((key) => {
      const entry = this.#live(checkKey('mget', key));
      return entry?.kind === 'string' ? entry.data : null;
    });
  }

  async mset(values: Record<string, string | number>): Promise<'OK'> {
    if (values === null || typeof values !== 'object' || Array.isArray(values)) {
      throw new TypeError('kv.mset: expected an object of keys and values');
    }
    const pairs = Object.entries(values).map(([key, value]): [string, string] => [key, toRedisString('mset', value)]);
    if (pairs.length === 0) throw new Error("ERR wrong number of arguments for 'mset' command");
    for (const [key, text] of pairs) this.#entries.set(key, { kind: 'string', data: text, expiresAt: null });
    return 'OK';
  }

  async getdel(key: string): Promise<string | null> {
    const entry = this.#typed('getdel', key, 'string');
    if (entry === undefined) return null;
    this.#entries.delete(key);
    return entry.data;
  }

  async del(...keys: string[]): Promise<number> {
    if (keys.length === 0) throw new Error("ERR wrong number of arguments for 'del' command");
    let removed = 0;
    for (const key of keys) {
      if (this.#live(checkKey('del', key)) !== undefined) {
        this.#entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  async exists(...keys: string[]): Promise<number> {
    if (keys.length === 0) throw new Error("ERR wrong number of arguments for 'exists' command");
    // Like Redis, a key named twice counts twice.
    return keys.filter((key) => this.#live(checkKey('exists', key)) !== undefined).length;
  }

  async incr(key: string): Promise<number> {
    return this.#incrBy('incr', key, 1);
  }

  async incrBy(key: string, by: number): Promise<number> {
    return this.#incrBy('incrBy', key, checkInteger(by));
  }

  async decr(key: string): Promise<number> {
    return this.#incrBy('decr', key, -1);
  }

  async expire(key: string, seconds: number): Promise<number> {
    return this.#expireIn('expire', key, checkInteger(seconds) * 1000);
  }

  async pexpire(key: string, ms: number): Promise<number> {
    return this.#expireIn('pexpire', key, checkInteger(ms));
  }

  async ttl(key: string): Promise<number> {
    const ms = this.#pttl('ttl', key);
    // Rounded to the nearest second, as Redis does: 1 ms left reads 0, 9.5 s left reads 10.
    return ms < 0 ? ms : Math.floor((ms + 500) / 1000);
  }

  async pttl(key: string): Promise<number> {
    return this.#pttl('pttl', key);
  }

  async keys(pattern: string): Promise<string[]> {
    if (typeof pattern !== 'string') throw new TypeError(`kv.keys: pattern must be a string, got ${typeof pattern}`);
    const matcher = globToRegExp(pattern);
    // Sorted so that results do not depend on insertion order (Redis makes no promise; determinism helps katas).
    return this.#liveKeys().filter((key) => matcher.test(key));
  }

  async hset(key: string, field: string | Record<string, string | number>, value?: string | number): Promise<number> {
    const pairs = hashPairs(field, value);
    const entry = this.#typed('hset', key, 'hash') ?? this.#create(key, { kind: 'hash', data: new Map() });
    let added = 0;
    for (const [name, fieldValue] of pairs) {
      if (!entry.data.has(name)) added++;
      entry.data.set(name, fieldValue);
    }
    return added;
  }

  async hget(key: string, field: string): Promise<string | null> {
    return this.#typed('hget', key, 'hash')?.data.get(field) ?? null;
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    // fromEntries defines own properties, so a field named "__proto__" stays a field.
    return Object.fromEntries(this.#typed('hgetall', key, 'hash')?.data ?? []);
  }

  async hdel(key: string, ...fields: string[]): Promise<number> {
    if (fields.length === 0) throw new Error("ERR wrong number of arguments for 'hdel' command");
    const entry = this.#typed('hdel', key, 'hash');
    if (!entry) return 0;
    const removed = fields.filter((field) => entry.data.delete(field)).length;
    this.#dropIfEmpty(key, entry.data.size);
    return removed;
  }

  async hincrBy(key: string, field: string, by: number): Promise<number> {
    checkInteger(by);
    const entry = this.#typed('hincrBy', key, 'hash') ?? this.#create(key, { kind: 'hash', data: new Map() });
    const current = entry.data.get(field);
    const next = addChecked(current === undefined ? 0 : parseStoredInteger(current, HASH_NOT_AN_INTEGER), by);
    entry.data.set(field, String(next));
    return next;
  }

  async lpush(key: string, ...values: (string | number)[]): Promise<number> {
    const items = listItems('lpush', values);
    const entry = this.#typed('lpush', key, 'list') ?? this.#create(key, { kind: 'list', data: [] });
    // Each value is pushed to the head in turn, so `lpush k a b` leaves [b, a], as in Redis.
    entry.data.unshift(...items.reverse());
    return entry.data.length;
  }

  async rpush(key: string, ...values: (string | number)[]): Promise<number> {
    const items = listItems('rpush', values);
    const entry = this.#typed('rpush', key, 'list') ?? this.#create(key, { kind: 'list', data: [] });
    entry.data.push(...items);
    return entry.data.length;
  }

  async lpop(key: string): Promise<string | null> {
    return this.#pop('lpop', key, (list) => list.shift());
  }

  async rpop(key: string): Promise<string | null> {
    return this.#pop('rpop', key, (list) => list.pop());
  }

  async llen(key: string): Promise<number> {
    return this.#typed('llen', key, 'list')?.data.length ?? 0;
  }

  async lrange(key: string, start: number, stop: number): Promise<string[]> {
    checkInteger(start);
    checkInteger(stop);
    const list = this.#typed('lrange', key, 'list')?.data ?? [];
    // Redis: negative indices count from the end; out-of-range indices are clamped, never an error.
    const [from, to] = clampRange(list.length, start, stop);
    return from > to ? [] : list.slice(from, to + 1);
  }

  async lindex(key: string, index: number): Promise<string | null> {
    checkInteger(index);
    const list = this.#typed('lindex', key, 'list')?.data ?? [];
    return list[index < 0 ? list.length + index : index] ?? null;
  }

  async lrem(key: string, count: number, element: string | number): Promise<number> {
    checkInteger(count);
    const wanted = toRedisString('lrem', element);
    const entry = this.#typed('lrem', key, 'list');
    if (!entry) return 0;
    const list = entry.data;
    const limit = count === 0 ? Infinity : Math.abs(count);
    let removed = 0;
    // count < 0 walks from the tail, so `lrem(k, -1, x)` removes the last x.
    if (count >= 0) {
      for (let i = 0; i < list.length && removed < limit; ) {
        if (list[i] === wanted) {
          list.splice(i, 1);
          removed++;
        } else i++;
      }
    } else {
      for (let i = list.length - 1; i >= 0 && removed < limit; i--) {
        if (list[i] === wanted) {
          list.splice(i, 1);
          removed++;
        }
      }
    }
    this.#dropIfEmpty(key, list.length);
    return removed;
  }

  async ltrim(key: string, start: number, stop: number): Promise<'OK'> {
    checkInteger(start);
    checkInteger(stop);
    const entry = this.#typed('ltrim', key, 'list');
    if (!entry) return 'OK';
    const [from, to] = clampRange(entry.data.length, start, stop);
    entry.data = from > to ? [] : entry.data.slice(from, to + 1);
    this.#dropIfEmpty(key, entry.data.length);
    return 'OK';
  }

  async lmove(source: string, destination: string, from: ListEnd, to: ListEnd): Promise<string | null> {
    return this.#move('lmove', source, destination, checkEnd(from), checkEnd(to));
  }

  async rpoplpush(source: string, destination: string): Promise<string | null> {
    return this.#move('rpoplpush', source, destination, 'RIGHT', 'LEFT');
  }

  async sadd(key: string, ...members: (string | number)[]): Promise<number> {
    const items = listItems('sadd', members);
    const entry = this.#typed('sadd', key, 'set') ?? this.#create(key, { kind: 'set', data: new Set() });
    let added = 0;
    for (const item of items) {
      if (!entry.data.has(item)) added++;
      entry.data.add(item);
    }
    return added;
  }

  async srem(key: string, ...members: (string | number)[]): Promise<number> {
    const items = listItems('srem', members);
    const entry = this.#typed('srem', key, 'set');
    if (!entry) return 0;
    const removed = items.filter((item) => entry.data.delete(item)).length;
    this.#dropIfEmpty(key, entry.data.size);
    return removed;
  }

  async smembers(key: string): Promise<string[]> {
    // Sorted so that results do not depend on insertion order (Redis makes no promise; determinism helps katas).
    return [...(this.#typed('smembers', key, 'set')?.data ?? [])].sort();
  }

  async sismember(key: string, member: string | number): Promise<number> {
    return this.#typed('sismember', key, 'set')?.data.has(toRedisString('sismember', member)) ? 1 : 0;
  }

  async scard(key: string): Promise<number> {
    return this.#typed('scard', key, 'set')?.data.size ?? 0;
  }

  async zadd(key: string, score: number, member: string | number): Promise<number>;
  async zadd(key: string, members: Record<string, number>): Promise<number>;
  async zadd(key: string, scoreOrMembers: number | Record<string, number>, member?: string | number): Promise<number> {
    checkKey('zadd', key);
    let pairs: [string, number][];
    if (typeof scoreOrMembers === 'object' && scoreOrMembers !== null && !Array.isArray(scoreOrMembers)) {
      pairs = Object.entries(scoreOrMembers).map(([name, score]) => [name, checkScore(score)]);
      if (pairs.length === 0) throw new Error("ERR wrong number of arguments for 'zadd' command");
    } else {
      if (member === undefined) throw new Error("ERR wrong number of arguments for 'zadd' command");
      pairs = [[toRedisString('zadd', member), checkScore(scoreOrMembers)]];
    }
    const entry = this.#typed('zadd', key, 'zset') ?? this.#create(key, { kind: 'zset', data: new Map() });
    let added = 0;
    for (const [name, score] of pairs) {
      if (!entry.data.has(name)) added++;
      entry.data.set(name, score);
    }
    return added;
  }

  async zrem(key: string, ...members: (string | number)[]): Promise<number> {
    const items = listItems('zrem', members);
    const entry = this.#typed('zrem', key, 'zset');
    if (!entry) return 0;
    const removed = items.filter((item) => entry.data.delete(item)).length;
    this.#dropIfEmpty(key, entry.data.size);
    return removed;
  }

  async zcard(key: string): Promise<number> {
    return this.#typed('zcard', key, 'zset')?.data.size ?? 0;
  }

  async zscore(key: string, member: string | number): Promise<number | null> {
    return this.#typed('zscore', key, 'zset')?.data.get(toRedisString('zscore', member)) ?? null;
  }

  async zrange(key: string, start: ScoreBound, stop: ScoreBound, options: ZRangeOptions & { WITHSCORES: true }): Promise<ScoredMember[]>;
  async zrange(key: string, start: ScoreBound, stop: ScoreBound, options?: ZRangeOptions): Promise<string[]>;
  async zrange(key: string, start: ScoreBound, stop: ScoreBound, options: ZRangeOptions = {}): Promise<string[] | ScoredMember[]> {
    const { BYSCORE, REV, LIMIT, WITHSCORES } = options ?? {};
    if (LIMIT !== undefined && !BYSCORE) throw new Error(LIMIT_WITHOUT_BYSCORE);
    let members: ScoredMember[];
    if (BYSCORE) {
      // With REV, Redis takes the higher bound first: ZRANGE key max min BYSCORE REV.
      const [min, max] = REV ? [stop, start] : [start, stop];
      members = this.#byScore('zrange', key, min, max);
      if (REV) members.reverse();
      members = applyLimit(members, LIMIT);
    } else {
      checkInteger(start);
      checkInteger(stop);
      members = this.#sortedMembers('zrange', key);
      if (REV) members.reverse();
      const [from, to] = clampRange(members.length, start as number, stop as number);
      members = from > to ? [] : members.slice(from, to + 1);
    }
    return WITHSCORES ? members : members.map((m) => m.member);
  }

  async zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions & { WITHSCORES: true }): Promise<ScoredMember[]>;
  async zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options?: ZRangeByScoreOptions): Promise<string[]>;
  async zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions = {}): Promise<string[] | ScoredMember[]> {
    const members = applyLimit(this.#byScore('zrangebyscore', key, min, max), options?.LIMIT);
    return options?.WITHSCORES ? members : members.map((m) => m.member);
  }

  async zremrangebyscore(key: string, min: ScoreBound, max: ScoreBound): Promise<number> {
    const doomed = this.#byScore('zremrangebyscore', key, min, max);
    const entry = this.#typed('zremrangebyscore', key, 'zset');
    if (!entry) return 0;
    for (const { member } of doomed) entry.data.delete(member);
    this.#dropIfEmpty(key, entry.data.size);
    return doomed.length;
  }

  async xadd(key: string, id: string, fields: Record<string, string | number>, options: { MAXLEN?: number } = {}): Promise<string> {
    checkKey('xadd', key);
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
      throw new TypeError('kv.xadd: expected an object of fields, e.g. { user: "ada", text: "hi" }');
    }
    const pairs = Object.entries(fields).map(([name, value]): [string, string] => [name, toRedisString('xadd', value)]);
    if (pairs.length === 0) throw new Error("ERR wrong number of arguments for 'xadd' command");
    const maxlen = options?.MAXLEN;
    if (isGiven(maxlen) && checkInteger(maxlen) < 0) throw new Error(MAXLEN_NEGATIVE);
    const existing = this.#typed('xadd', key, 'stream');
    const last = existing?.data.last ?? { ms: 0, seq: 0 };
    const next = this.#nextStreamId(id, last);
    const entry = existing ?? this.#create(key, { kind: 'stream', data: { entries: [], last } });
    entry.data.entries.push({ id: next, fields: pairs });
    entry.data.last = next;
    if (isGiven(maxlen)) this.#trimStream(entry.data, maxlen!);
    return formatId(next);
  }

  async xrange(key: string, start: string, end: string, options: { COUNT?: number } = {}): Promise<StreamEntry[]> {
    const from = parseStreamBound(start, 'start');
    const to = parseStreamBound(end, 'end');
    const count = options?.COUNT;
    if (isGiven(count)) checkInteger(count);
    const stream = this.#typed('xrange', key, 'stream')?.data;
    if (!stream) return [];
    const found = stream.entries.filter((item) => inRange(item.id, from, to));
    // COUNT 0 or less answers nothing, as in Redis.
    const limited = isGiven(count) ? found.slice(0, Math.max(count!, 0)) : found;
    return limited.map(streamEntry);
  }

  async xread(streams: Record<string, string>, options: { COUNT?: number } = {}): Promise<StreamRead[] | null> {
    if (streams === null || typeof streams !== 'object' || Array.isArray(streams)) {
      throw new TypeError('kv.xread: expected an object of stream keys and last-seen ids, e.g. { chat: "0" }');
    }
    const wanted = Object.entries(streams);
    if (wanted.length === 0) throw new Error("ERR wrong number of arguments for 'xread' command");
    const count = options?.COUNT;
    if (isGiven(count)) checkInteger(count);
    // Every id is checked before any stream is read, as Redis does.
    const afters = wanted.map(([key, id]) => {
      const stream = this.#typed('xread', key, 'stream')?.data;
      return id === '$' ? (stream?.last ?? { ms: 0, seq: 0 }) : parseStreamId(id);
    });
    const result: StreamRead[] = [];
    wanted.forEach(([key], i) => {
      const stream = this.#typed('xread', key, 'stream')?.data;
      if (!stream) return;
      let entries = stream.entries.filter((item) => compareIds(item.id, afters[i]!) > 0);
      // XREAD treats COUNT 0 or less as no limit.
      if (isGiven(count) && count! > 0) entries = entries.slice(0, count);
      if (entries.length > 0) result.push({ key, entries: entries.map(streamEntry) });
    });
    return result.length > 0 ? result : null;
  }

  async xlen(key: string): Promise<number> {
    return this.#typed('xlen', key, 'stream')?.data.entries.length ?? 0;
  }

  async xtrim(key: string, options: { MAXLEN: number }): Promise<number> {
    const maxlen = options?.MAXLEN;
    if (checkInteger(maxlen) < 0) throw new Error(MAXLEN_NEGATIVE);
    const stream = this.#typed('xtrim', key, 'stream')?.data;
    // An emptied stream stays (unlike a list): it keeps its last id, so ids never go back.
    return stream ? this.#trimStream(stream, maxlen) : 0;
  }

  async publish(channel: string, message: string | number): Promise<number> {
    checkKey('publish', channel);
    const text = toRedisString('publish', message);
    const local = [...(this.#listeners.get(channel) ?? [])];
    for (const listener of local) queueMicrotask(() => listener(text, channel));
    return this.#publish(channel, text) + local.length;
  }

  /**
   * A test's own subscription (processes subscribe through the supervisor, which delivers to them): the listener
   * is called for every message published to `channel` from now on.
   */
  async subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void> {
    checkKey('subscribe', channel);
    if (typeof listener !== 'function') throw new TypeError('kv.subscribe: a listener function is required');
    const set = this.#listeners.get(channel) ?? new Set();
    set.add(listener);
    this.#listeners.set(channel, set);
  }

  async unsubscribe(channel: string): Promise<void> {
    this.#listeners.delete(checkKey('unsubscribe', channel));
  }

  /**
   * Live (non-expired) content, keys sorted: strings as strings, hashes as objects, lists and sets (sorted) as
   * arrays, sorted sets as `{ member, score }` arrays, streams as entry arrays. For debugging and traces.
   */
  snapshot(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const key of this.#liveKeys()) {
      const entry = this.#entries.get(key)!;
      const value = snapshotOf(entry);
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return result;
  }

  /** Number of live keys. */
  get size(): number {
    return this.#liveKeys().length;
  }

  /** The entry of a key, or undefined when absent; an expired key is deleted on the way (lazy expiry). */
  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // Expired at the deadline itself, so "EX 10 then advance 10 s" means gone, which is what learners expect.
    if (entry.expiresAt !== null && this.#clock.now() >= entry.expiresAt) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #liveKeys(): string[] {
    return [...this.#entries.keys()].filter((key) => this.#live(key) !== undefined).sort();
  }

  /** The live entry of a key if it holds `kind`, undefined if absent, WRONGTYPE if it holds another kind. */
  #typed<K extends Kind>(method: string, key: string, kind: K): EntryOf<K> | undefined {
    const entry = this.#live(checkKey(method, key));
    if (entry === undefined) return undefined;
    if (entry.kind !== kind) throw new Error(WRONGTYPE);
    return entry as EntryOf<K>;
  }

  #create<V extends Value>(key: string, value: V): V & { expiresAt: number | null } {
    const entry = { ...value, expiresAt: null };
    this.#entries.set(key, entry);
    return entry;
  }

  #dropIfEmpty(key: string, size: number): void {
    // Redis never keeps an empty list or hash: the key disappears with its last element.
    if (size === 0) this.#entries.delete(key);
  }

  #incrBy(method: string, key: string, by: number): number {
    const entry = this.#typed(method, key, 'string');
    const current = entry === undefined ? 0 : parseStoredInteger(entry.data, NOT_AN_INTEGER);
    const next = addChecked(current, by);
    if (entry === undefined) this.#create(key, { kind: 'string', data: String(next) });
    else entry.data = String(next); // the key keeps its TTL, as in Redis
    return next;
  }

  #expireIn(method: string, key: string, ms: number): number {
    const entry = this.#live(checkKey(method, key));
    if (entry === undefined) return 0;
    // A non-positive timeout deletes the key at once, as in Redis.
    if (ms <= 0) this.#entries.delete(key);
    else entry.expiresAt = this.#clock.now() + ms;
    return 1;
  }

  #pttl(method: string, key: string): number {
    const entry = this.#live(checkKey(method, key));
    if (entry === undefined) return -2;
    if (entry.expiresAt === null) return -1;
    return entry.expiresAt - this.#clock.now();
  }

  #pop(method: string, key: string, take: (list: string[]) => string | undefined): string | null {
    const entry = this.#typed(method, key, 'list');
    if (!entry) return null;
    const value = take(entry.data) ?? null;
    this.#dropIfEmpty(key, entry.data.length);
    return value;
  }

  #move(method: string, source: string, destination: string, from: ListEnd, to: ListEnd): string | null {
    const list = this.#typed(method, source, 'list');
    if (!list) return null;
    // The destination's kind is checked before anything moves, so a WRONGTYPE loses no element.
    const target = this.#typed(method, destination, 'list');
    const value = from === 'LEFT' ? list.data.shift()! : list.data.pop()!;
    this.#dropIfEmpty(source, list.data.length);
    // source === destination rotates the list; it may have just been dropped as empty, so look it up again.
    const into = target && this.#entries.get(destination) === target ? target : this.#create(destination, { kind: 'list', data: [] as string[] });
    if (to === 'LEFT') into.data.unshift(value);
    else into.data.push(value);
    return value;
  }

  #sortedMembers(method: string, key: string): ScoredMember[] {
    const data = this.#typed(method, key, 'zset')?.data ?? new Map<string, number>();
    return [...data].map(([member, score]) => ({ member, score })).sort(byScore);
  }

  #byScore(method: string, key: string, min: ScoreBound, max: ScoreBound): ScoredMember[] {
    const low = parseScoreBound(min);
    const high = parseScoreBound(max);
    return this.#sortedMembers(method, key).filter(
      ({ score }) => (low.exclusive ? score > low.value : score >= low.value) && (high.exclusive ? score < high.value : score <= high.value),
    );
  }

  /** The id XADD gives: `*` from the clock (or just past the last id if the clock is behind it), `<ms>-*`, or explicit. */
  #nextStreamId(id: unknown, last: StreamId): StreamId {
    if (typeof id !== 'string') throw new TypeError(`kv.xadd: id must be a string ('*' or '<ms>-<seq>'), got ${typeof id}`);
    let next: StreamId;
    if (id === '*') {
      const now = this.#clock.now();
      next = now > last.ms ? { ms: now, seq: 0 } : { ms: last.ms, seq: last.seq + 1 };
    } else if (id.endsWith('-*')) {
      const { ms } = parseStreamId(id.slice(0, -2));
      next = ms === last.ms ? { ms, seq: last.seq + 1 } : { ms, seq: ms === 0 ? 1 : 0 };
    } else {
      next = parseStreamId(id);
      if (next.ms === 0 && next.seq === 0) throw new Error(XADD_ID_ZERO);
    }
    if (compareIds(next, last) <= 0) throw new Error(XADD_ID_TOO_SMALL);
    return next;
  }

  #trimStream(stream: Stream, maxlen: number): number {
    const excess = Math.max(stream.entries.length - maxlen, 0);
    stream.entries.splice(0, excess);
    return excess;
  }
}

function streamEntry(item: { id: StreamId; fields: [string, string][] }): StreamEntry {
  return { id: formatId(item.id), fields: Object.fromEntries(item.fields) };
}

function snapshotOf(entry: Entry): unknown {
  switch (entry.kind) {
    case 'string':
      return entry.data;
    case 'hash':
      return Object.fromEntries(entry.data);
    case 'list':
      return [...entry.data];
    case 'set':
      return [...entry.data].sort();
    case 'zset':
      return [...entry.data].map(([member, score]) => ({ member, score })).sort(byScore);
    case 'stream':
      return entry.data.entries.map(streamEntry);
  }
}

function hashPairs(field: unknown, value: unknown): [string, string][] {
  if (typeof field === 'string') {
    if (value === undefined) throw new Error("ERR wrong number of arguments for 'hset' command");
    return [[field, toRedisString('hset', value)]];
  }
  if (field === null || typeof field !== 'object' || Array.isArray(field)) {
    throw new TypeError('kv.hset: expected a field name and a value, or an object of fields');
  }
  const pairs = Object.entries(field).map(([name, v]): [string, string] => [name, toRedisString('hset', v)]);
  if (pairs.length === 0) throw new Error("ERR wrong number of arguments for 'hset' command");
  return pairs;
}

function listItems(method: string, values: unknown[]): string[] {
  if (values.length === 0) throw new Error(`ERR wrong number of arguments for '${method}' command`);
  return values.map((value) => toRedisString(method, value));
}
