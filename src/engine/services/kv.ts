// An in-memory, Redis-like key-value backing service whose expiry follows a (virtual) clock.
import type { KeyValue, SetOptions } from './types.ts';

export const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
export const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';
const HASH_NOT_AN_INTEGER = 'ERR hash value is not an integer';
const INVALID_SET_EXPIRE = "ERR invalid expire time in 'set' command";
const SYNTAX_ERROR = 'ERR syntax error';
const OVERFLOW = 'ERR increment or decrement would overflow';

type Value =
  | { kind: 'string'; data: string }
  | { kind: 'hash'; data: Map<string, string> }
  | { kind: 'list'; data: string[] };

/** A stored key: its value plus an absolute expiry time in clock ms (null = never). */
type Entry = Value & { expiresAt: number | null };

type Kind = Value['kind'];
type EntryOf<K extends Kind> = Extract<Value, { kind: K }> & { expiresAt: number | null };

interface Clock {
  now(): number;
}

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

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]);
    else source += escapeRegExp(ch);
  }
  // 's' so that '?' and '*' also match newlines, as in Redis.
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Converts an expiry option to ms, or throws Redis' SET error for a non-positive or non-integer value. */
function expireMs(value: unknown, unitMs: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new Error(INVALID_SET_EXPIRE);
  return value * unitMs;
}

function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export class MemoryKeyValue implements KeyValue {
  readonly #clock: Clock;
  readonly #entries = new Map<string, Entry>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  // Every public method below is `async` but never awaits: its whole body runs in one turn, so each call is atomic.

  async get(key: string): Promise<string | null> {
    return this.#typed('get', key, 'string')?.data ?? null;
  }

  async set(key: string, value: string | number, options: SetOptions = {}): Promise<'OK' | null> {
    checkKey('set', key);
    const text = toRedisString('set', value);
    const { EX, PX, NX, XX } = options ?? {};
    if ((isGiven(EX) && isGiven(PX)) || (NX && XX)) throw new Error(SYNTAX_ERROR);
    let ttlMs: number | null = null;
    if (isGiven(EX)) ttlMs = expireMs(EX, 1000);
    if (isGiven(PX)) ttlMs = expireMs(PX, 1);

    const exists = this.#live(key) !== undefined;
    if ((NX && exists) || (XX && !exists)) return null;
    // A plain SET drops any previous TTL, as in Redis (there is no KEEPTTL here).
    const expiresAt = ttlMs === null ? null : this.#clock.now() + ttlMs;
    this.#entries.set(key, { kind: 'string', data: text, expiresAt });
    return 'OK';
  }

  async del(...keys: string[]): Promise<number> {
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
    // Rounded up so that a key just set with EX 10 reports 10, not 9.
    return ms < 0 ? ms : Math.ceil(ms / 1000);
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
    const { length } = list;
    // Redis: negative indices count from the end; out-of-range indices are clamped, never an error.
    const from = Math.max(start < 0 ? length + start : start, 0);
    const to = Math.min(stop < 0 ? length + stop : stop, length - 1);
    return from > to ? [] : list.slice(from, to + 1);
  }

  /** Live (non-expired) content, keys sorted: strings as strings, hashes as objects, lists as arrays. For debugging and traces. */
  snapshot(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const key of this.#liveKeys()) {
      const entry = this.#entries.get(key)!;
      const value =
        entry.kind === 'string' ? entry.data : entry.kind === 'hash' ? Object.fromEntries(entry.data) : [...entry.data];
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
