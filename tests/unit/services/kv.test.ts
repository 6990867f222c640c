// Unit tests of the Redis-like key-value backing service.
import { describe, it, expect, expectTypeOf } from 'vitest';
import { VirtualClock } from '../../../src/engine/core/clock.ts';
import { MemoryKeyValue } from '../../../src/engine/services/kv.ts';
import { SERVICE_METHODS } from '../../../src/engine/services/index.ts';
import type { KeyValue } from '../../../src/engine/services/types.ts';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';

function setup() {
  const clock = new VirtualClock();
  return { clock, kv: new MemoryKeyValue(clock) };
}

describe('MemoryKeyValue strings', () => {
  it('returns null for a missing key and the value once set', async () => {
    const { kv } = setup();
    expect(await kv.get('greeting')).toBeNull();
    expect(await kv.set('greeting', 'hello')).toBe('OK');
    expect(await kv.get('greeting')).toBe('hello');
  });

  it('stores numbers as their string form', async () => {
    const { kv } = setup();
    await kv.set('n', 42);
    await kv.set('f', 1.5);
    expect(await kv.get('n')).toBe('42');
    expect(await kv.get('f')).toBe('1.5');
  });

  it('rejects values that are neither strings nor numbers', async () => {
    const { kv } = setup();
    await expect(kv.set('k', { a: 1 } as unknown as string)).rejects.toThrow(TypeError);
    expect(await kv.exists('k')).toBe(0);
  });

  it('del and exists count keys, exists counting a repeated key twice', async () => {
    const { kv } = setup();
    await kv.set('a', '1');
    await kv.set('b', '2');
    expect(await kv.exists('a', 'b', 'c', 'a')).toBe(3);
    expect(await kv.del('a', 'c')).toBe(1);
    expect(await kv.exists('a')).toBe(0);
    expect(await kv.get('b')).toBe('2');
  });
});

describe('MemoryKeyValue expiry', () => {
  it('a key set with EX expires after those seconds on the clock', async () => {
    const { clock, kv } = setup();
    await kv.set('session', 'alice', { EX: 10 });
    expect(await kv.ttl('session')).toBe(10);
    clock.advance(9_999);
    expect(await kv.get('session')).toBe('alice');
    // TTL rounds to the nearest second, as Redis does: 1 ms left reads 0 while the key still exists.
    expect(await kv.ttl('session')).toBe(0);
    expect(await kv.pttl('session')).toBe(1);
    clock.advance(1);
    expect(await kv.get('session')).toBeNull();
  });

  it('an expired key is absent everywhere', async () => {
    const { clock, kv } = setup();
    await kv.set('counter', '41', { PX: 100 });
    await kv.set('other', 'x');
    clock.advance(100);
    expect(await kv.exists('counter')).toBe(0);
    expect(await kv.ttl('counter')).toBe(-2);
    expect(await kv.pttl('counter')).toBe(-2);
    expect(await kv.keys('*')).toEqual(['other']);
    expect(await kv.del('counter')).toBe(0);
    expect(await kv.expire('counter', 10)).toBe(0);
    expect(await kv.incr('counter')).toBe(1);
    expect(kv.size).toBe(2);
    expect(kv.snapshot()).toEqual({ counter: '1', other: 'x' });
  });

  it('ttl is -1 for a key without expiry and -2 for a missing key', async () => {
    const { kv } = setup();
    await kv.set('forever', 'v');
    expect(await kv.ttl('forever')).toBe(-1);
    expect(await kv.pttl('forever')).toBe(-1);
    expect(await kv.ttl('nope')).toBe(-2);
  });

  it('a plain set clears an existing TTL', async () => {
    const { clock, kv } = setup();
    await kv.set('k', 'a', { EX: 5 });
    await kv.set('k', 'b');
    expect(await kv.ttl('k')).toBe(-1);
    clock.advance(60_000);
    expect(await kv.get('k')).toBe('b');
  });

  it('incr keeps the TTL of the key', async () => {
    const { clock, kv } = setup();
    await kv.set('hits', '5', { EX: 60 });
    clock.advance(20_000);
    expect(await kv.incr('hits')).toBe(6);
    expect(await kv.ttl('hits')).toBe(40);
    clock.advance(40_000);
    expect(await kv.get('hits')).toBeNull();
  });

  it('expire and pexpire set a TTL; a non-positive one deletes the key', async () => {
    const { clock, kv } = setup();
    await kv.set('a', '1');
    await kv.set('b', '2');
    expect(await kv.expire('a', 3)).toBe(1);
    expect(await kv.pexpire('b', 250)).toBe(1);
    expect(await kv.pttl('a')).toBe(3_000);
    expect(await kv.pttl('b')).toBe(250);
    clock.advance(250);
    expect(await kv.keys('*')).toEqual(['a']);
    expect(await kv.expire('a', 0)).toBe(1);
    expect(await kv.exists('a')).toBe(0);
  });

  it('expire rejects a non-integer', async () => {
    const { kv } = setup();
    await kv.set('a', '1');
    await expect(kv.expire('a', 1.5)).rejects.toThrow(NOT_AN_INTEGER);
  });
});

describe('MemoryKeyValue set options', () => {
  it('NX only writes a missing key', async () => {
    const { kv } = setup();
    expect(await kv.set('lock', 'p1', { NX: true })).toBe('OK');
    expect(await kv.set('lock', 'p2', { NX: true })).toBeNull();
    expect(await kv.get('lock')).toBe('p1');
  });

  it('NX lets exactly one of many concurrent callers win', async () => {
    const { kv } = setup();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => kv.set('lock', `process-${i}`, { NX: true, EX: 30 })),
    );
    expect(results.filter((r) => r === 'OK')).toHaveLength(1);
    expect(results.indexOf('OK')).toBe(0);
    expect(await kv.get('lock')).toBe('process-0');
  });

  it('NX succeeds again once the previous holder expired', async () => {
    const { clock, kv } = setup();
    await kv.set('lock', 'p1', { NX: true, EX: 30 });
    clock.advance(30_000);
    expect(await kv.set('lock', 'p2', { NX: true })).toBe('OK');
    expect(await kv.get('lock')).toBe('p2');
  });

  it('XX only writes an existing key', async () => {
    const { kv } = setup();
    expect(await kv.set('k', 'v', { XX: true })).toBeNull();
    expect(await kv.exists('k')).toBe(0);
    await kv.set('k', 'v1');
    expect(await kv.set('k', 'v2', { XX: true })).toBe('OK');
    expect(await kv.get('k')).toBe('v2');
  });

  it('rejects EX together with PX, and NX together with XX', async () => {
    const { kv } = setup();
    await expect(kv.set('k', 'v', { EX: 1, PX: 1000 })).rejects.toThrow('ERR syntax error');
    await expect(kv.set('k', 'v', { NX: true, XX: true })).rejects.toThrow('ERR syntax error');
    expect(await kv.exists('k')).toBe(0);
  });

  it.each([{ EX: 0 }, { EX: -5 }, { PX: 0 }])('rejects a non-positive expire time %o like Redis', async (options) => {
    const { kv } = setup();
    await expect(kv.set('k', 'v', options)).rejects.toThrow("invalid expire time in 'set' command");
    expect(await kv.exists('k')).toBe(0);
  });

  it.each([{ EX: 1.5 }, { PX: 2.5 }, { EX: Number.NaN }])('rejects a non-integer expire time %o like Redis', async (options) => {
    const { kv } = setup();
    await expect(kv.set('k', 'v', options)).rejects.toThrow(NOT_AN_INTEGER);
    expect(await kv.exists('k')).toBe(0);
  });
});

describe('MemoryKeyValue counters', () => {
  it('incr starts from 0; incrBy and decr move the value', async () => {
    const { kv } = setup();
    expect(await kv.incr('n')).toBe(1);
    expect(await kv.incrBy('n', 10)).toBe(11);
    expect(await kv.incrBy('n', -20)).toBe(-9);
    expect(await kv.decr('n')).toBe(-10);
    expect(await kv.get('n')).toBe('-10');
  });

  it('100 concurrent incr calls count to exactly 100', async () => {
    const { kv } = setup();
    const results = await Promise.all(Array.from({ length: 100 }, () => kv.incr('visits')));
    expect(await kv.get('visits')).toBe('100');
    expect(new Set(results).size).toBe(100);
    expect(Math.max(...results)).toBe(100);
  });

  it.each(['abc', '1.5', ' 1', '+1', '01', ''])('incr on %j throws like Redis', async (value) => {
    const { kv } = setup();
    await kv.set('n', value);
    await expect(kv.incr('n')).rejects.toThrow(NOT_AN_INTEGER);
    expect(await kv.get('n')).toBe(value);
  });

  it('incrBy rejects a non-integer increment', async () => {
    const { kv } = setup();
    await expect(kv.incrBy('n', 0.5)).rejects.toThrow(NOT_AN_INTEGER);
    expect(await kv.exists('n')).toBe(0);
  });

  it('incr past the safe integer range throws instead of losing precision', async () => {
    const { kv } = setup();
    await kv.set('n', Number.MAX_SAFE_INTEGER);
    await expect(kv.incr('n')).rejects.toThrow('overflow');
    expect(await kv.get('n')).toBe(String(Number.MAX_SAFE_INTEGER));
  });
});

describe('MemoryKeyValue hashes', () => {
  it('hset returns the number of new fields; hget and hgetall read them', async () => {
    const { kv } = setup();
    expect(await kv.hset('user:1', 'name', 'Ada')).toBe(1);
    expect(await kv.hset('user:1', { name: 'Ada L.', age: 36 })).toBe(1);
    expect(await kv.hget('user:1', 'name')).toBe('Ada L.');
    expect(await kv.hget('user:1', 'missing')).toBeNull();
    expect(await kv.hgetall('user:1')).toEqual({ name: 'Ada L.', age: '36' });
    expect(await kv.hgetall('nobody')).toEqual({});
  });

  it('hincrBy counts per field and rejects a non-integer field', async () => {
    const { kv } = setup();
    expect(await kv.hincrBy('cart', 'apples', 2)).toBe(2);
    expect(await kv.hincrBy('cart', 'apples', 3)).toBe(5);
    await kv.hset('cart', 'note', 'fragile');
    await expect(kv.hincrBy('cart', 'note', 1)).rejects.toThrow('ERR hash value is not an integer');
  });

  it('hdel removes fields and an emptied hash disappears', async () => {
    const { kv } = setup();
    await kv.hset('h', { a: '1', b: '2' });
    expect(await kv.hdel('h', 'a', 'zzz')).toBe(1);
    expect(await kv.exists('h')).toBe(1);
    expect(await kv.hdel('h', 'b')).toBe(1);
    expect(await kv.exists('h')).toBe(0);
    expect(await kv.keys('*')).toEqual([]);
  });

  it('a field named __proto__ stays an ordinary field', async () => {
    const { kv } = setup();
    await kv.hset('h', '__proto__', 'x');
    const all = await kv.hgetall('h');
    expect(Object.keys(all)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
  });

  it('a hash keeps its TTL when fields change', async () => {
    const { clock, kv } = setup();
    await kv.hset('h', 'a', '1');
    await kv.expire('h', 10);
    await kv.hset('h', 'b', '2');
    clock.advance(10_000);
    expect(await kv.hgetall('h')).toEqual({});
  });
});

describe('MemoryKeyValue lists', () => {
  it('rpush + lpop make a FIFO queue', async () => {
    const { kv } = setup();
    expect(await kv.rpush('jobs', 'a')).toBe(1);
    expect(await kv.rpush('jobs', 'b', 'c')).toBe(3);
    expect(await kv.lpop('jobs')).toBe('a');
    expect(await kv.lpop('jobs')).toBe('b');
    expect(await kv.llen('jobs')).toBe(1);
    expect(await kv.lpop('jobs')).toBe('c');
    expect(await kv.lpop('jobs')).toBeNull();
  });

  it('lpush pushes each value to the head in turn, like Redis', async () => {
    const { kv } = setup();
    expect(await kv.lpush('l', 'a', 'b', 'c')).toBe(3);
    expect(await kv.lrange('l', 0, -1)).toEqual(['c', 'b', 'a']);
    expect(await kv.rpop('l')).toBe('a');
  });

  it('an emptied list disappears', async () => {
    const { kv } = setup();
    await kv.rpush('l', 1);
    expect(await kv.rpop('l')).toBe('1');
    expect(await kv.exists('l')).toBe(0);
    expect(await kv.llen('l')).toBe(0);
  });

  it('lrange handles negative and out-of-range indices like Redis', async () => {
    const { kv } = setup();
    await kv.rpush('l', 'a', 'b', 'c', 'd', 'e');
    expect(await kv.lrange('l', 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(await kv.lrange('l', -2, -1)).toEqual(['d', 'e']);
    expect(await kv.lrange('l', 1, 2)).toEqual(['b', 'c']);
    expect(await kv.lrange('l', -100, 1)).toEqual(['a', 'b']);
    expect(await kv.lrange('l', 3, 100)).toEqual(['d', 'e']);
    expect(await kv.lrange('l', 5, 10)).toEqual([]);
    expect(await kv.lrange('l', 3, 1)).toEqual([]);
    expect(await kv.lrange('missing', 0, -1)).toEqual([]);
  });

  it('rejects a push without values', async () => {
    const { kv } = setup();
    await expect(kv.rpush('l')).rejects.toThrow("wrong number of arguments for 'rpush'");
  });
});

describe('MemoryKeyValue WRONGTYPE', () => {
  it('list and hash commands on a string key fail', async () => {
    const { kv } = setup();
    await kv.set('s', 'text');
    await expect(kv.lpush('s', 'x')).rejects.toThrow(WRONGTYPE);
    await expect(kv.lrange('s', 0, -1)).rejects.toThrow(WRONGTYPE);
    await expect(kv.hset('s', 'f', 'v')).rejects.toThrow(WRONGTYPE);
    await expect(kv.hgetall('s')).rejects.toThrow(WRONGTYPE);
    expect(await kv.get('s')).toBe('text');
  });

  it('string commands on a list or hash key fail', async () => {
    const { kv } = setup();
    await kv.rpush('l', 'x');
    await kv.hset('h', 'f', 'v');
    await expect(kv.get('l')).rejects.toThrow(WRONGTYPE);
    await expect(kv.incr('h')).rejects.toThrow(WRONGTYPE);
    await expect(kv.lpop('h')).rejects.toThrow(WRONGTYPE);
    await expect(kv.hget('l', 'f')).rejects.toThrow(WRONGTYPE);
  });

  it('set overwrites a key of any type, as in Redis', async () => {
    const { kv } = setup();
    await kv.rpush('k', 'x');
    await kv.set('k', 'now a string');
    expect(await kv.get('k')).toBe('now a string');
  });
});

describe('MemoryKeyValue keys', () => {
  it('matches * and ? globs and returns keys sorted', async () => {
    const { kv } = setup();
    for (const key of ['user:2', 'user:10', 'user:1', 'session:1', 'user:x.y']) await kv.set(key, '1');
    expect(await kv.keys('user:*')).toEqual(['user:1', 'user:10', 'user:2', 'user:x.y']);
    expect(await kv.keys('user:?')).toEqual(['user:1', 'user:2']);
    expect(await kv.keys('*:1')).toEqual(['session:1', 'user:1']);
    expect(await kv.keys('user:x?y')).toEqual(['user:x.y']);
    expect(await kv.keys('user.*')).toEqual([]);
  });

  it("matches character classes as Redis does: ranges either way round, only '^' negates, '[]' matches nothing", async () => {
    const { kv } = setup();
    await kv.mset({ 'u:1': '1', 'u:2': '1', 'u:3': '1', 'u:a': '1', 'u:]': '1', 'u:!': '1' });
    expect(await kv.keys('u:[12]')).toEqual(['u:1', 'u:2']);
    expect(await kv.keys('u:[3-2]')).toEqual(['u:2', 'u:3']);
    expect(await kv.keys('u:[^1-3]')).toEqual(['u:!', 'u:]', 'u:a']);
    expect(await kv.keys('u:[!1]')).toEqual(['u:!', 'u:1']);
    expect(await kv.keys('u:[\\]]')).toEqual(['u:]']);
    expect(await kv.keys('u:[]')).toEqual([]);
    expect(await kv.keys('u:[a')).toEqual(['u:a']);
  });

  it('treats regex characters literally and honours a backslash escape', async () => {
    const { kv } = setup();
    await kv.set('a+b', '1');
    await kv.set('aab', '1');
    await kv.set('a*', '1');
    expect(await kv.keys('a+b')).toEqual(['a+b']);
    expect(await kv.keys('a\\*')).toEqual(['a*']);
  });
});

describe('MemoryKeyValue over RPC', () => {
  it('every result survives structuredClone', async () => {
    const { kv } = setup();
    const results = [
      await kv.set('s', 'v', { EX: 5 }),
      await kv.get('s'),
      await kv.get('missing'),
      await kv.del('none'),
      await kv.exists('s'),
      await kv.incr('n'),
      await kv.incrBy('n', 2),
      await kv.decr('n'),
      await kv.expire('n', 5),
      await kv.pexpire('n', 5000),
      await kv.ttl('s'),
      await kv.pttl('s'),
      await kv.keys('*'),
      await kv.hset('h', { a: 1 }),
      await kv.hget('h', 'a'),
      await kv.hgetall('h'),
      await kv.hincrBy('h', 'a', 1),
      await kv.hdel('h', 'a'),
      await kv.rpush('l', 'a', 'b'),
      await kv.lpush('l', 'z'),
      await kv.lrange('l', 0, -1),
      await kv.llen('l'),
      await kv.lpop('l'),
      await kv.rpop('l'),
      await kv.mset({ m1: 'a', m2: 2 }),
      await kv.mget('m1', 'm2', 'missing'),
      await kv.getdel('m1'),
      await kv.set('m2', 'b', { GET: true }),
      await kv.rpush('q', 'a', 'b', 'c'),
      await kv.lindex('q', -1),
      await kv.lmove('q', 'p', 'LEFT', 'RIGHT'),
      await kv.rpoplpush('q', 'p'),
      await kv.lrem('p', 0, 'a'),
      await kv.ltrim('q', 0, 0),
      await kv.sadd('s1', 'x', 'y'),
      await kv.smembers('s1'),
      await kv.sismember('s1', 'x'),
      await kv.srem('s1', 'x'),
      await kv.scard('s1'),
      await kv.zadd('z', { a: 1, b: 2.5 }),
      await kv.zscore('z', 'b'),
      await kv.zrange('z', 0, -1, { WITHSCORES: true }),
      await kv.zrangebyscore('z', '-inf', '+inf'),
      await kv.zremrangebyscore('z', 0, 1),
      await kv.zrem('z', 'b'),
      await kv.zcard('z'),
      await kv.xadd('st', '*', { user: 'ada' }),
      await kv.xrange('st', '-', '+'),
      await kv.xread({ st: '0' }),
      await kv.xread({ st: '$' }),
      await kv.xlen('st'),
      await kv.xtrim('st', { MAXLEN: 0 }),
      await kv.publish('news', 'hi'),
      kv.snapshot(),
    ];
    expect(structuredClone(results)).toEqual(results);
  });

  it('the RPC allow-list names every KeyValue method, and nothing else', () => {
    expectTypeOf<(typeof SERVICE_METHODS.kv)[number]>().toEqualTypeOf<keyof KeyValue>();
    const { kv } = setup();
    for (const name of SERVICE_METHODS.kv) expect(typeof kv[name]).toBe('function');
    expect(SERVICE_METHODS.kv).toHaveLength(51);
    expect(SERVICE_METHODS.kv).not.toContain('snapshot');
    expect(SERVICE_METHODS.kv).not.toContain('onPublish');
  });
});

describe('MemoryKeyValue arity', () => {
  it('del, exists and hdel without a key or field fail as in Redis', async () => {
    const { kv } = setup();
    await kv.hset('h', 'f', 'v');
    await expect(kv.del()).rejects.toThrow("ERR wrong number of arguments for 'del' command");
    await expect(kv.exists()).rejects.toThrow("ERR wrong number of arguments for 'exists' command");
    await expect(kv.hdel('h')).rejects.toThrow("ERR wrong number of arguments for 'hdel' command");
    expect(await kv.hgetall('h')).toEqual({ f: 'v' });
  });
});

describe('MemoryKeyValue more string commands', () => {
  it('mset writes several keys and clears their TTLs; mget answers null for missing keys and other kinds', async () => {
    const { kv } = setup();
    await kv.set('a', 'old', { EX: 10 });
    await kv.rpush('list', 'x');
    expect(await kv.mset({ a: '1', b: 2 })).toBe('OK');
    expect(await kv.ttl('a')).toBe(-1);
    expect(await kv.mget('a', 'b', 'list', 'missing')).toEqual(['1', '2', null, null]);
    await expect(kv.mset({})).rejects.toThrow("wrong number of arguments for 'mset'");
  });

  it('getdel returns the value once and deletes the key', async () => {
    const { kv } = setup();
    await kv.set('token', 'abc');
    expect(await kv.getdel('token')).toBe('abc');
    expect(await kv.getdel('token')).toBeNull();
    expect(await kv.exists('token')).toBe(0);
    await kv.hset('h', 'f', 'v');
    await expect(kv.getdel('h')).rejects.toThrow(WRONGTYPE);
  });

  it('set with GET answers the previous value, also when NX prevents the write', async () => {
    const { kv } = setup();
    expect(await kv.set('k', 'a', { GET: true })).toBeNull();
    expect(await kv.set('k', 'b', { GET: true })).toBe('a');
    expect(await kv.set('k', 'c', { GET: true, NX: true })).toBe('b');
    expect(await kv.get('k')).toBe('b');
    await kv.rpush('l', 'x');
    await expect(kv.set('l', 'v', { GET: true })).rejects.toThrow(WRONGTYPE);
    expect(await kv.llen('l')).toBe(1);
  });

  it('set with KEEPTTL keeps the deadline on the clock', async () => {
    const { clock, kv } = setup();
    await kv.set('k', 'a', { EX: 10 });
    clock.advance(4_000);
    await kv.set('k', 'b', { KEEPTTL: true });
    expect(await kv.pttl('k')).toBe(6_000);
    clock.advance(6_000);
    expect(await kv.get('k')).toBeNull();
    await expect(kv.set('k', 'v', { KEEPTTL: true, EX: 5 })).rejects.toThrow('ERR syntax error');
  });

  it('ttl rounds to the nearest second, as Redis does', async () => {
    const { kv } = setup();
    await kv.set('a', 'v', { PX: 1_499 });
    await kv.set('b', 'v', { PX: 1_500 });
    expect(await kv.ttl('a')).toBe(1);
    expect(await kv.ttl('b')).toBe(2);
  });
});

describe('MemoryKeyValue reliable queue', () => {
  it('lmove hands each job to exactly one worker and keeps it in a processing list until lrem acknowledges it', async () => {
    const { kv } = setup();
    await kv.rpush('jobs', 'j1', 'j2');
    const taken = await Promise.all([
      kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT'),
      kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT'),
      kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT'),
    ]);
    expect(taken).toEqual(['j1', 'j2', null]);
    expect(await kv.exists('jobs')).toBe(0);
    expect(await kv.lrange('processing', 0, -1)).toEqual(['j1', 'j2']);
    expect(await kv.lrem('processing', 1, 'j1')).toBe(1);
    expect(await kv.lrange('processing', 0, -1)).toEqual(['j2']);
  });

  it('rpoplpush moves the tail of one list to the head of another', async () => {
    const { kv } = setup();
    await kv.rpush('a', '1', '2', '3');
    expect(await kv.rpoplpush('a', 'b')).toBe('3');
    expect(await kv.rpoplpush('a', 'b')).toBe('2');
    expect(await kv.lrange('b', 0, -1)).toEqual(['2', '3']);
    expect(await kv.rpoplpush('empty', 'b')).toBeNull();
  });

  it('lmove onto the same list rotates it, also with a single element', async () => {
    const { kv } = setup();
    await kv.rpush('ring', 'a', 'b', 'c');
    expect(await kv.lmove('ring', 'ring', 'LEFT', 'RIGHT')).toBe('a');
    expect(await kv.lrange('ring', 0, -1)).toEqual(['b', 'c', 'a']);
    await kv.rpush('one', 'x');
    expect(await kv.lmove('one', 'one', 'RIGHT', 'LEFT')).toBe('x');
    expect(await kv.lrange('one', 0, -1)).toEqual(['x']);
  });

  it('lmove to a key of another kind fails and loses nothing; from a missing list it answers null', async () => {
    const { kv } = setup();
    await kv.rpush('jobs', 'j1');
    await kv.set('text', 'x');
    await expect(kv.lmove('jobs', 'text', 'LEFT', 'RIGHT')).rejects.toThrow(WRONGTYPE);
    expect(await kv.lrange('jobs', 0, -1)).toEqual(['j1']);
    expect(await kv.lmove('missing', 'text', 'LEFT', 'RIGHT')).toBeNull();
    await expect(kv.lmove('jobs', 'x', 'UP' as 'LEFT', 'RIGHT')).rejects.toThrow('ERR syntax error');
  });

  it('the moved element keeps no TTL of the source, and the destination keeps its own', async () => {
    const { clock, kv } = setup();
    await kv.rpush('src', 'a', 'b');
    await kv.expire('src', 10);
    await kv.lmove('src', 'dst', 'LEFT', 'LEFT');
    clock.advance(10_000);
    expect(await kv.exists('src')).toBe(0);
    expect(await kv.lrange('dst', 0, -1)).toEqual(['a']);
  });

  it('lrem counts from the head, from the tail, or removes all; an emptied list disappears', async () => {
    const { kv } = setup();
    await kv.rpush('l', 'a', 'x', 'b', 'x', 'c', 'x');
    expect(await kv.lrem('l', 2, 'x')).toBe(2);
    expect(await kv.lrange('l', 0, -1)).toEqual(['a', 'b', 'c', 'x']);
    await kv.rpush('m', 'x', 'a', 'x', 'b', 'x');
    expect(await kv.lrem('m', -2, 'x')).toBe(2);
    expect(await kv.lrange('m', 0, -1)).toEqual(['x', 'a', 'b']);
    await kv.rpush('n', 'x', 'x');
    expect(await kv.lrem('n', 0, 'x')).toBe(2);
    expect(await kv.exists('n')).toBe(0);
    expect(await kv.lrem('missing', 0, 'x')).toBe(0);
  });

  it('lindex reads by index from either end; ltrim keeps a window and drops an emptied list', async () => {
    const { kv } = setup();
    await kv.rpush('l', 'a', 'b', 'c', 'd');
    expect(await kv.lindex('l', 0)).toBe('a');
    expect(await kv.lindex('l', -1)).toBe('d');
    expect(await kv.lindex('l', 4)).toBeNull();
    expect(await kv.lindex('l', -5)).toBeNull();
    expect(await kv.ltrim('l', -3, -2)).toBe('OK');
    expect(await kv.lrange('l', 0, -1)).toEqual(['b', 'c']);
    expect(await kv.ltrim('l', 5, 10)).toBe('OK');
    expect(await kv.exists('l')).toBe(0);
  });
});

describe('MemoryKeyValue sets', () => {
  it('sadd and srem count what changed; smembers is sorted; an emptied set disappears', async () => {
    const { kv } = setup();
    expect(await kv.sadd('tags', 'b', 'a', 'b')).toBe(2);
    expect(await kv.sadd('tags', 'c', 1)).toBe(2);
    expect(await kv.smembers('tags')).toEqual(['1', 'a', 'b', 'c']);
    expect(await kv.scard('tags')).toBe(4);
    expect(await kv.sismember('tags', 'a')).toBe(1);
    expect(await kv.sismember('tags', 'z')).toBe(0);
    expect(await kv.srem('tags', 'a', 'z')).toBe(1);
    expect(await kv.srem('tags', 'b', 'c', 1)).toBe(3);
    expect(await kv.exists('tags')).toBe(0);
    expect(await kv.smembers('tags')).toEqual([]);
  });

  it('set commands on a string fail with WRONGTYPE', async () => {
    const { kv } = setup();
    await kv.set('s', 'x');
    await expect(kv.sadd('s', 'a')).rejects.toThrow(WRONGTYPE);
    await expect(kv.smembers('s')).rejects.toThrow(WRONGTYPE);
  });
});

describe('MemoryKeyValue sorted sets', () => {
  it('a sliding-window rate limiter: scores are clock times, old ones are trimmed, the rest counted', async () => {
    const { clock, kv } = setup();
    const hit = async (id: string) => {
      const now = clock.now();
      await kv.zremrangebyscore('rl:ada', '-inf', now - 60_000);
      await kv.zadd('rl:ada', now, id);
      return kv.zcard('rl:ada');
    };
    expect(await hit('r1')).toBe(1);
    clock.advance(30_000);
    expect(await hit('r2')).toBe(2);
    clock.advance(30_000);
    // r1 is exactly 60 s old: the inclusive bound forgets it.
    expect(await hit('r3')).toBe(2);
    expect(await kv.zrange('rl:ada', 0, 0, { WITHSCORES: true })).toEqual([{ member: 'r2', score: clock.now() - 30_000 }]);
  });

  it('zadd counts new members and updates scores; ties are ordered by member', async () => {
    const { kv } = setup();
    expect(await kv.zadd('z', { c: 1, a: 1, b: 0 })).toBe(3);
    expect(await kv.zadd('z', 5, 'b')).toBe(0);
    expect(await kv.zscore('z', 'b')).toBe(5);
    expect(await kv.zscore('z', 'none')).toBeNull();
    expect(await kv.zrange('z', 0, -1)).toEqual(['a', 'c', 'b']);
    expect(await kv.zrange('z', 0, -1, { REV: true })).toEqual(['b', 'c', 'a']);
    await expect(kv.zadd('z', Number.NaN, 'x')).rejects.toThrow('ERR value is not a valid float');
  });

  it('score ranges take numbers, infinities, "(" exclusions and LIMIT', async () => {
    const { kv } = setup();
    await kv.zadd('z', { a: 1, b: 2, c: 3, d: Infinity });
    expect(await kv.zrangebyscore('z', 1, 3)).toEqual(['a', 'b', 'c']);
    expect(await kv.zrangebyscore('z', '(1', '+inf')).toEqual(['b', 'c', 'd']);
    expect(await kv.zrangebyscore('z', -Infinity, '(3', { LIMIT: { offset: 1, count: 5 } })).toEqual(['b']);
    expect(await kv.zrange('z', 3, 1, { BYSCORE: true, REV: true, WITHSCORES: true })).toEqual([
      { member: 'c', score: 3 },
      { member: 'b', score: 2 },
      { member: 'a', score: 1 },
    ]);
    expect(await kv.zrange('z', 1, 3, { BYSCORE: true, LIMIT: { offset: -1, count: 5 } })).toEqual([]);
    await expect(kv.zrange('z', 0, 1, { LIMIT: { offset: 0, count: 1 } })).rejects.toThrow('LIMIT is only supported');
    await expect(kv.zrangebyscore('z', 'x', 1)).rejects.toThrow('ERR min or max is not a float');
  });

  it('reads score bounds as Redis does (leading blanks allowed) and stores -0 as 0, as it reaches Redis', async () => {
    const { kv } = setup();
    await kv.zadd('z', { a: 1, b: 2 });
    expect(await kv.zrangebyscore('z', ' 1', '2')).toEqual(['a', 'b']);
    await expect(kv.zrangebyscore('z', '1 ', 2)).rejects.toThrow('ERR min or max is not a float');
    await kv.zadd('z', -0, 'zero');
    expect(Object.is(await kv.zscore('z', 'zero'), 0)).toBe(true);
  });

  it('zrem and zremrangebyscore remove members; an emptied sorted set disappears', async () => {
    const { kv } = setup();
    await kv.zadd('z', { a: 1, b: 2, c: 3 });
    expect(await kv.zrem('z', 'a', 'none')).toBe(1);
    expect(await kv.zremrangebyscore('z', 0, 2)).toBe(1);
    expect(await kv.zremrangebyscore('z', '(3', 10)).toBe(0);
    expect(await kv.zremrangebyscore('z', 3, 3)).toBe(1);
    expect(await kv.exists('z')).toBe(0);
    expect(await kv.zcard('z')).toBe(0);
  });
});

describe('MemoryKeyValue streams', () => {
  it('xadd with * takes its id from the virtual clock, with a sequence within one millisecond', async () => {
    const { clock, kv } = setup();
    const t = clock.now();
    expect(await kv.xadd('chat', '*', { text: 'a' })).toBe(`${t}-0`);
    expect(await kv.xadd('chat', '*', { text: 'b' })).toBe(`${t}-1`);
    clock.advance(5);
    expect(await kv.xadd('chat', '*', { text: 'c' })).toBe(`${t + 5}-0`);
  });

  it('ids never go back: a clock behind the last id continues its sequence, a smaller explicit id fails', async () => {
    const { clock, kv } = setup();
    const future = clock.now() + 1_000;
    await kv.xadd('s', `${future}-7`, { n: 1 });
    expect(await kv.xadd('s', '*', { n: 2 })).toBe(`${future}-8`);
    await expect(kv.xadd('s', `${future}-8`, { n: 3 })).rejects.toThrow('equal or smaller than the target stream top item');
    expect(await kv.xadd('s', `${future}-*`, { n: 3 })).toBe(`${future}-9`);
    await expect(kv.xadd('t', '0-0', { n: 1 })).rejects.toThrow('must be greater than 0-0');
    expect(await kv.xadd('t', '0-*', { n: 1 })).toBe('0-1');
  });

  it('a consumer that restarts resumes from its last id with xread', async () => {
    const { kv } = setup();
    await kv.xadd('events', '1-0', { n: 1 });
    await kv.xadd('events', '2-0', { n: 2 });
    const first = await kv.xread({ events: '0' }, { COUNT: 1 });
    expect(first).toEqual([{ key: 'events', entries: [{ id: '1-0', fields: { n: '1' } }] }]);
    await kv.set('cursor', first![0]!.entries[0]!.id);
    // …the process restarts; its memory is gone, the cursor is not.
    const after = await kv.xread({ events: (await kv.get('cursor'))! });
    expect(after).toEqual([{ key: 'events', entries: [{ id: '2-0', fields: { n: '2' } }] }]);
    expect(await kv.xread({ events: '2-0' })).toBeNull();
    expect(await kv.xread({ events: '$', missing: '0' })).toBeNull();
  });

  it('xrange reads inclusive ranges, "(" exclusions, bare milliseconds and COUNT', async () => {
    const { kv } = setup();
    for (const id of ['5-0', '5-1', '6-0', '7-3']) await kv.xadd('s', id, { id });
    const ids = async (start: string, end: string, count?: number) =>
      (await kv.xrange('s', start, end, count === undefined ? {} : { COUNT: count })).map((e) => e.id);
    expect(await ids('-', '+')).toEqual(['5-0', '5-1', '6-0', '7-3']);
    expect(await ids('5', '5')).toEqual(['5-0', '5-1']);
    expect(await ids('(5-0', '(7-3')).toEqual(['5-1', '6-0']);
    expect(await ids('-', '+', 2)).toEqual(['5-0', '5-1']);
    expect(await ids('-', '+', 0)).toEqual([]);
    await expect(kv.xrange('s', 'nope', '+')).rejects.toThrow('Invalid stream ID');
    await expect(kv.xrange('s', '-', '(0-0')).rejects.toThrow('ERR invalid end ID for the interval');
  });

  it('MAXLEN and xtrim keep the newest entries; an emptied stream stays with its last id', async () => {
    const { kv } = setup();
    for (let i = 1; i <= 4; i++) await kv.xadd('log', `${i}-0`, { i }, { MAXLEN: 3 });
    expect(await kv.xlen('log')).toBe(3);
    expect(await kv.xtrim('log', { MAXLEN: 0 })).toBe(3);
    expect(await kv.exists('log')).toBe(1);
    await expect(kv.xadd('log', '4-0', { i: 5 })).rejects.toThrow('equal or smaller');
    await expect(kv.xtrim('log', { MAXLEN: -1 })).rejects.toThrow('MAXLEN argument must be >= 0');
    expect(await kv.xtrim('missing', { MAXLEN: 0 })).toBe(0);
  });

  it('a stream expires like any key', async () => {
    const { clock, kv } = setup();
    await kv.xadd('s', '*', { a: 1 });
    await kv.expire('s', 1);
    clock.advance(1_000);
    expect(await kv.xlen('s')).toBe(0);
    expect(await kv.xrange('s', '-', '+')).toEqual([]);
  });
});

describe('MemoryKeyValue publish', () => {
  it('answers 0 without a supervisor hook, and what the hook answers with one', async () => {
    const { clock, kv } = setup();
    expect(await kv.publish('news', 'hello')).toBe(0);
    const seen: [string, string][] = [];
    const hooked = new MemoryKeyValue(clock, {
      publish: (channel, message) => {
        seen.push([channel, message]);
        return 2;
      },
    });
    expect(await hooked.publish('news', 42)).toBe(2);
    expect(seen).toEqual([['news', '42']]);
    kv.onPublish(() => 1);
    expect(await kv.publish('news', 'again')).toBe(1);
  });
});
