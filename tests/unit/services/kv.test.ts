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
    expect(await kv.ttl('session')).toBe(1);
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

  it.each([{ EX: 0 }, { EX: -5 }, { EX: 1.5 }, { PX: 0 }, { PX: 2.5 }, { EX: Number.NaN }])(
    'rejects an invalid expire time %o like Redis',
    async (options) => {
      const { kv } = setup();
      await expect(kv.set('k', 'v', options)).rejects.toThrow("invalid expire time in 'set' command");
      expect(await kv.exists('k')).toBe(0);
    },
  );
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
      kv.snapshot(),
    ];
    expect(structuredClone(results)).toEqual(results);
  });

  it('the RPC allow-list names every KeyValue method, and nothing else', () => {
    expectTypeOf<(typeof SERVICE_METHODS.kv)[number]>().toEqualTypeOf<keyof KeyValue>();
    const { kv } = setup();
    for (const name of SERVICE_METHODS.kv) expect(typeof kv[name]).toBe('function');
    expect(SERVICE_METHODS.kv).toHaveLength(23);
    expect(SERVICE_METHODS.kv).not.toContain('snapshot');
  });
});
