// The command sequences the suite runs on our store and on Redis alike: what learners rely on, edge cases included.
import type { TwinApi } from './twin.ts';

export interface Sequence {
  name: string;
  run(t: TwinApi): Promise<void>;
}

/** Two hours, in seconds: a TTL that keeps an hour or more left (LONG_TTL_MS) whatever a sequence advances. */
const LONG = 2 * 3_600;
/** A stream id ahead of both clocks (2100-01-01): from there, '*' continues the sequence number on both sides. */
const FUTURE_MS = 4_102_444_800_000;

export const SEQUENCES: Sequence[] = [
  {
    name: 'strings: get, set, del, exists, mget, mset, getdel',
    async run({ kv }) {
      await kv.get('greeting');
      await kv.set('greeting', 'hello');
      await kv.get('greeting');
      await kv.set('n', 42);
      await kv.set('f', 1.5);
      await kv.mget('greeting', 'n', 'f', 'missing');
      await kv.exists('greeting', 'n', 'missing', 'greeting');
      await kv.del('greeting', 'missing');
      await kv.mset({ a: '1', b: 2, 'with space': 'x y' });
      await kv.mget('a', 'b', 'with space');
      await kv.getdel('a');
      await kv.getdel('a');
      await kv.exists('a');
      await kv.set('empty', '');
      await kv.get('empty');
      await kv.set('unicode', 'żółw 🐢');
      await kv.get('unicode');
    },
  },
  {
    name: 'set options: NX and XX, GET, KEEPTTL, and what Redis refuses',
    async run({ kv }) {
      await kv.set('lock', 'p1', { NX: true });
      await kv.set('lock', 'p2', { NX: true });
      await kv.get('lock');
      await kv.set('other', 'v', { XX: true });
      await kv.exists('other');
      await kv.set('lock', 'p3', { XX: true });
      await kv.set('lock', 'p4', { GET: true });
      await kv.set('fresh', 'v', { GET: true });
      await kv.set('lock', 'p5', { GET: true, NX: true });
      await kv.set('lock', 'p6', { GET: true, XX: true });
      await kv.set('lock', 'p7', { NX: true, XX: true });
      await kv.set('lock', 'p7', { EX: 10, PX: 10_000 });
      await kv.set('ttl', 'a', { EX: LONG });
      await kv.set('ttl', 'b', { KEEPTTL: true });
      await kv.ttl('ttl');
      await kv.set('ttl', 'c', { KEEPTTL: true, EX: LONG });
      await kv.set('ttl', 'd');
      await kv.ttl('ttl');
      await kv.set('bad', 'v', { EX: 0 });
      await kv.set('bad', 'v', { EX: -5 });
      await kv.set('bad', 'v', { PX: 0 });
      await kv.set('bad', 'v', { EX: 1.5 });
      await kv.set('bad', 'v', { PX: 2.5 });
      await kv.exists('bad');
    },
  },
  {
    name: 'a lock with NX and PX is free again once it expires',
    async run({ kv, advance }) {
      await kv.set('lock:report', 'web.1', { NX: true, PX: 40 });
      await advance(40);
      await kv.set('lock:report', 'web.2', { NX: true, PX: LONG * 1000 });
      await kv.get('lock:report');
      await kv.set('lock:report', 'web.3', { NX: true, PX: LONG * 1000 });
      await kv.get('lock:report');
    },
  },
  {
    name: 'expiry: an expired key is gone for every command',
    async run({ kv, advance }) {
      await kv.set('s', 'v', { PX: 30 });
      await kv.hset('h', 'f', 'v');
      await kv.pexpire('h', 30);
      await kv.rpush('l', 'a');
      await kv.expire('l', 1);
      await kv.set('stay', 'v', { EX: LONG });
      await advance(1_000);
      await kv.get('s');
      await kv.exists('s', 'h', 'l');
      await kv.ttl('s');
      await kv.pttl('h');
      await kv.keys('*');
      await kv.del('s');
      await kv.expire('s', 10);
      await kv.hgetall('h');
      await kv.llen('l');
      await kv.incr('s');
      await kv.rpush('h', 'now a list');
      await kv.lrange('h', 0, -1);
      await kv.mget('s', 'h', 'l', 'stay');
    },
  },
  {
    name: 'expiry: TTL and PTTL of keys with and without a deadline',
    async run({ kv, advance }) {
      await kv.set('session', 'alice', { EX: LONG });
      await kv.ttl('session');
      await kv.pttl('session');
      await kv.set('forever', 'v');
      await kv.ttl('forever');
      await kv.pttl('forever');
      await kv.ttl('missing');
      await kv.pttl('missing');
      await kv.set('odd', 'v', { PX: LONG * 1000 + 499 });
      await kv.ttl('odd');
      await kv.set('half', 'v', { PX: LONG * 1000 + 1_500 });
      await kv.ttl('half');
      await advance(250);
      await kv.pttl('session');
      await kv.ttl('session');
      await kv.expire('forever', LONG * 2);
      await kv.ttl('forever');
      await kv.pexpire('forever', LONG * 1000 + 1);
      await kv.pttl('forever');
      await kv.expire('missing', 10);
      await kv.expire('forever', 0);
      await kv.exists('forever');
      await kv.pexpire('session', -1);
      await kv.exists('session');
      await kv.set('x', '1');
      await kv.expire('x', 1.5);
    },
  },
  {
    name: 'expiry: what keeps a TTL and what clears it',
    async run({ kv }) {
      await kv.set('hits', '5', { EX: LONG });
      await kv.incr('hits');
      await kv.ttl('hits');
      await kv.incrBy('hits', 10);
      await kv.ttl('hits');
      await kv.set('hits', '0');
      await kv.ttl('hits');
      await kv.hset('h', 'a', '1');
      await kv.expire('h', LONG);
      await kv.hset('h', 'b', '2');
      await kv.ttl('h');
      await kv.rpush('l', 'a');
      await kv.expire('l', LONG);
      await kv.rpush('l', 'b');
      await kv.lpop('l');
      await kv.ttl('l');
      await kv.mset({ l: 'string now' });
      await kv.ttl('l');
      await kv.set('g', 'v', { EX: LONG });
      await kv.set('g', 'w', { GET: true });
      await kv.ttl('g');
    },
  },
  {
    name: 'counters: incr, incrBy, decr and the values they refuse',
    async run({ kv, differs }) {
      await kv.incr('n');
      await kv.incrBy('n', 10);
      await kv.incrBy('n', -20);
      await kv.decr('n');
      await kv.get('n');
      await kv.decr('fresh');
      for (const text of ['abc', '1.5', ' 1', '+1', '01', '', '1 ', '-0', '0x10']) {
        await kv.set('bad', text);
        await kv.incr('bad');
        await kv.get('bad');
      }
      await kv.set('neg', '-5');
      await kv.incr('neg');
      await kv.set('big', String(2 ** 52));
      await kv.incrBy('big', 2 ** 52 - 1);
      await kv.set('edge', String(Number.MAX_SAFE_INTEGER));
      await kv.decr('edge');
      await kv.set('low', String(-Number.MAX_SAFE_INTEGER));
      await kv.incr('low');
      await kv.incrBy('n', 1.5);
      await kv.hset('h', 'f', 'v');
      await kv.incr('h');
      await kv.set('edge', String(Number.MAX_SAFE_INTEGER));
      await kv.set('max', '9223372036854775807');
      await differs('counters-are-safe-integers', async () => {
        await kv.incr('edge');
        await kv.incr('max');
      });
    },
  },
  {
    name: 'hashes: hset, hget, hgetall, hdel, hincrBy',
    async run({ kv }) {
      await kv.hset('user:1', 'name', 'Ada');
      await kv.hset('user:1', { name: 'Ada L.', age: 36, city: 'London' });
      await kv.hget('user:1', 'name');
      await kv.hget('user:1', 'missing');
      await kv.hget('nobody', 'name');
      await kv.hgetall('user:1');
      await kv.hgetall('nobody');
      await kv.hincrBy('cart', 'apples', 2);
      await kv.hincrBy('cart', 'apples', -5);
      await kv.hset('cart', 'note', 'fragile');
      await kv.hincrBy('cart', 'note', 1);
      await kv.hincrBy('cart', 'apples', 0.5);
      await kv.hdel('user:1', 'age', 'zzz');
      await kv.hdel('user:1', 'name', 'city');
      await kv.exists('user:1');
      await kv.hdel('user:1', 'name');
      await kv.hset('proto', '__proto__', 'x');
      await kv.hgetall('proto');
    },
  },
  {
    name: 'lists: push, pop, length, ranges and indices',
    async run({ kv }) {
      await kv.rpush('l', 'a');
      await kv.rpush('l', 'b', 'c');
      await kv.lpush('l', 'z', 'y');
      await kv.lrange('l', 0, -1);
      for (const [start, stop] of [[-2, -1], [1, 2], [-100, 1], [3, 100], [5, 10], [3, 1], [-1, -2]]) {
        await kv.lrange('l', start!, stop!);
      }
      for (const index of [0, 2, -1, -5, 5, -6]) await kv.lindex('l', index);
      await kv.llen('l');
      await kv.lpop('l');
      await kv.rpop('l');
      await kv.llen('missing');
      await kv.lrange('missing', 0, -1);
      await kv.lindex('missing', 0);
      await kv.lpop('missing');
      await kv.rpush('one', 1);
      await kv.rpop('one');
      await kv.exists('one');
      await kv.lrange('l', 0.5, 1);
    },
  },
  {
    name: 'lists: lrem from the head, from the tail, all; ltrim windows',
    async run({ kv }) {
      await kv.rpush('l', 'a', 'x', 'b', 'x', 'c', 'x');
      await kv.lrem('l', 2, 'x');
      await kv.lrange('l', 0, -1);
      await kv.rpush('m', 'x', 'a', 'x', 'b', 'x');
      await kv.lrem('m', -2, 'x');
      await kv.lrange('m', 0, -1);
      await kv.lrem('m', 0, 'nothing');
      await kv.rpush('n', 'x', 'x');
      await kv.lrem('n', 0, 'x');
      await kv.exists('n');
      await kv.lrem('missing', 1, 'x');
      await kv.rpush('t', 'a', 'b', 'c', 'd', 'e');
      await kv.ltrim('t', 1, -2);
      await kv.lrange('t', 0, -1);
      await kv.ltrim('t', -2, 10);
      await kv.lrange('t', 0, -1);
      await kv.ltrim('t', 5, 10);
      await kv.exists('t');
      await kv.ltrim('missing', 0, 1);
      await kv.rpush('cap', 1, 2, 3, 4, 5);
      await kv.lpush('cap', 6);
      await kv.ltrim('cap', 0, 2);
      await kv.lrange('cap', 0, -1);
    },
  },
  {
    name: 'the reliable queue: lmove to a processing list, lrem to acknowledge, rpoplpush to recover',
    async run({ kv }) {
      await kv.rpush('jobs', 'j1', 'j2', 'j3');
      await kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT');
      await kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT');
      await kv.lrange('processing', 0, -1);
      await kv.lrem('processing', 1, 'j1');
      // The worker holding j2 died: put its job back at the head of the queue.
      await kv.rpoplpush('processing', 'jobs');
      await kv.lrange('jobs', 0, -1);
      await kv.exists('processing');
      await kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT');
      await kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT');
      await kv.lmove('jobs', 'processing', 'LEFT', 'RIGHT');
      await kv.exists('jobs');
      await kv.lrange('processing', 0, -1);
      await kv.rpoplpush('jobs', 'processing');
      await kv.lmove('processing', 'processing', 'LEFT', 'RIGHT');
      await kv.lrange('processing', 0, -1);
      await kv.lmove('processing', 'done', 'RIGHT', 'LEFT');
      await kv.lmove('processing', 'done', 'LEFT', 'LEFT');
      await kv.lmove('processing', 'done', 'RIGHT', 'RIGHT');
      await kv.lrange('done', 0, -1);
      await kv.rpush('one', 'x');
      await kv.lmove('one', 'one', 'RIGHT', 'LEFT');
      await kv.lrange('one', 0, -1);
      await kv.set('text', 'x');
      await kv.lmove('done', 'text', 'LEFT', 'RIGHT');
      await kv.lrange('done', 0, -1);
      await kv.lmove('missing', 'text', 'LEFT', 'RIGHT');
      await kv.rpoplpush('text', 'done');
    },
  },
  {
    name: 'sets: sadd, srem, smembers, sismember, scard',
    async run({ kv }) {
      await kv.sadd('tags', 'b', 'a', 'b');
      await kv.sadd('tags', 'c', 1, 10, 2);
      await kv.smembers('tags');
      await kv.scard('tags');
      await kv.sismember('tags', 'a');
      await kv.sismember('tags', 1);
      await kv.sismember('tags', 'z');
      await kv.sismember('missing', 'a');
      await kv.srem('tags', 'a', 'z');
      await kv.srem('tags', 'b', 'c', 1, 10, 2);
      await kv.exists('tags');
      await kv.smembers('tags');
      await kv.scard('tags');
      await kv.srem('tags', 'a');
      await kv.sadd('ints', 3, 1, 2);
      await kv.smembers('ints');
    },
  },
  {
    name: 'sorted sets: zadd, zscore, zrange by rank and by score, zrem, zcard',
    async run({ kv }) {
      await kv.zadd('z', { c: 1, a: 1, b: 0 });
      await kv.zadd('z', 5, 'b');
      await kv.zadd('z', 2.5, 'd');
      await kv.zadd('z', { e: -1, f: 1e-3 });
      await kv.zscore('z', 'b');
      await kv.zscore('z', 'd');
      await kv.zscore('z', 'none');
      await kv.zscore('missing', 'a');
      await kv.zrange('z', 0, -1);
      await kv.zrange('z', 0, -1, { WITHSCORES: true });
      await kv.zrange('z', 1, 2, { REV: true });
      await kv.zrange('z', -2, -1);
      await kv.zrange('z', 10, 20);
      await kv.zrange('z', 0, 1, { LIMIT: { offset: 0, count: 1 } });
      await kv.zrange('z', 1, 3, { BYSCORE: true });
      await kv.zrange('z', '(1', '+inf', { BYSCORE: true, WITHSCORES: true });
      await kv.zrange('z', 5, 1, { BYSCORE: true, REV: true });
      await kv.zrange('z', '-inf', '+inf', { BYSCORE: true, LIMIT: { offset: 1, count: 2 } });
      await kv.zrange('z', '-inf', '+inf', { BYSCORE: true, LIMIT: { offset: 2, count: -1 } });
      await kv.zrange('z', '-inf', '+inf', { BYSCORE: true, LIMIT: { offset: -1, count: 2 } });
      await kv.zcard('z');
      await kv.zrem('z', 'a', 'none');
      await kv.zcard('z');
      await kv.zadd('inf', { top: Infinity, bottom: -Infinity, mid: 0 });
      await kv.zrange('inf', 0, -1, { WITHSCORES: true });
      await kv.zscore('inf', 'top');
      await kv.zadd('z', Number.NaN, 'nan');
      await kv.zrange('z', 'x', 1, { BYSCORE: true });
      await kv.zrange('missing', 0, -1);
    },
  },
  {
    name: 'sorted sets: zrangebyscore and zremrangebyscore bounds',
    async run({ kv }) {
      await kv.zadd('z', { a: 1, b: 2, c: 3, d: 4 });
      await kv.zrangebyscore('z', 1, 3);
      await kv.zrangebyscore('z', '(1', '(4');
      await kv.zrangebyscore('z', -Infinity, Infinity, { WITHSCORES: true });
      await kv.zrangebyscore('z', '-inf', '+inf', { LIMIT: { offset: 1, count: 2 } });
      await kv.zrangebyscore('z', 3, 1);
      await kv.zrangebyscore('z', 'one', 3);
      await kv.zrangebyscore('missing', 0, 1);
      await kv.zremrangebyscore('z', '(1', 2);
      await kv.zrange('z', 0, -1);
      await kv.zremrangebyscore('z', 10, 20);
      await kv.zremrangebyscore('z', '-inf', '+inf');
      await kv.exists('z');
      await kv.zremrangebyscore('missing', 0, 1);
    },
  },
  {
    name: 'a sliding-window rate limiter on a sorted set',
    async run({ kv }) {
      // Scores are request times in ms, written as the app would (Date.now() on our clock; fixed here).
      const start = 1_700_000_000_000;
      for (let i = 0; i < 6; i++) {
        const now = start + i * 15_000;
        await kv.zremrangebyscore('rl:ada', '-inf', now - 60_000);
        await kv.zadd('rl:ada', now, `req-${i}`);
        await kv.zcard('rl:ada');
        await kv.zrange('rl:ada', 0, 0, { WITHSCORES: true });
      }
    },
  },
  {
    name: 'streams: xadd ids, xrange, xlen, MAXLEN and xtrim',
    async run({ kv, differs }) {
      await kv.xadd('s', '5-1', { text: 'a' });
      await kv.xadd('s', '5-1', { text: 'again' });
      await kv.xadd('s', '5-*', { text: 'b' });
      await kv.xadd('s', '6', { text: 'c', user: 'ada' });
      await kv.xadd('s', '7-3', { n: 1 });
      await kv.xadd('s', '0-0', { n: 1 });
      await kv.xadd('zero', '0-0', { n: 1 });
      await kv.xadd('zero', '0-*', { n: 1 });
      await kv.xadd('s', 'bad', { n: 1 });
      await kv.xrange('s', '-', '+');
      await kv.xrange('s', '5', '5');
      await kv.xrange('s', '(5-1', '(7-3');
      await kv.xrange('s', '-', '+', { COUNT: 2 });
      await differs('xrange-count-0', async () => {
        await kv.xrange('s', '-', '+', { COUNT: 0 });
      });
      await kv.xrange('s', '7-3', '5-1');
      await kv.xrange('s', 'nope', '+');
      await kv.xrange('missing', '-', '+');
      await kv.xlen('s');
      await kv.xlen('missing');
      await kv.xadd('s', '8-0', { n: 2 }, { MAXLEN: 3 });
      await kv.xrange('s', '-', '+');
      await kv.xtrim('s', { MAXLEN: 1 });
      await kv.xtrim('s', { MAXLEN: 0 });
      await kv.xlen('s');
      await kv.exists('s');
      await kv.xadd('s', '8-0', { n: 3 });
      await kv.xadd('s', '8-*', { n: 3 });
      await kv.xtrim('s', { MAXLEN: -1 });
      await kv.xadd('s', '9-0', { n: 4 }, { MAXLEN: -1 });
      await kv.xtrim('missing', { MAXLEN: 0 });
    },
  },
  {
    name: 'streams: a consumer resumes from its cursor with xread',
    async run({ kv }) {
      await kv.xadd('events', '1-0', { n: 1 });
      await kv.xadd('events', '2-0', { n: 2 });
      await kv.xadd('events', '2-1', { n: 3 });
      await kv.xread({ events: '0' });
      await kv.xread({ events: '0' }, { COUNT: 1 });
      await kv.set('cursor', '1-0');
      await kv.xread({ events: '1-0' });
      await kv.xread({ events: '2' });
      await kv.xread({ events: '2-1' });
      await kv.xread({ events: '$' });
      await kv.xread({ events: '0', missing: '0' });
      await kv.xadd('other', '3-0', { n: 4 });
      await kv.xread({ other: '0', events: '2-0' });
      await kv.xread({ events: 'bad' });
      await kv.xread({ cursor: '0' });
      await kv.xread({ missing: '0' });
      await kv.xread({ events: '0' }, { COUNT: 0 });
    },
  },
  {
    name: "streams: '*' ids continue past the last id, and come from each side's clock on a fresh stream",
    async run({ kv, differs }) {
      await kv.xadd('log', `${FUTURE_MS}-0`, { n: 1 });
      await kv.xadd('log', '*', { n: 2 });
      await kv.xadd('log', '*', { n: 3 });
      await kv.xrange('log', '-', '+');
      await kv.xadd('log', `${FUTURE_MS}-*`, { n: 4 });
      await differs('stream-ids-from-the-virtual-clock', async () => {
        await kv.xadd('fresh', '*', { n: 1 });
      });
      await kv.xlen('fresh');
    },
  },
  {
    name: 'WRONGTYPE: every kind refuses the commands of the others',
    async run({ kv }) {
      await kv.set('string', 'text');
      await kv.hset('hash', 'f', 'v');
      await kv.rpush('list', 'x');
      await kv.sadd('set', 'm');
      await kv.zadd('zset', 1, 'm');
      await kv.xadd('stream', '1-0', { f: 'v' });
      for (const key of ['string', 'hash', 'list', 'set', 'zset', 'stream']) {
        await kv.get(key);
        await kv.getdel(key);
        await kv.incr(key);
        await kv.hget(key, 'f');
        await kv.hgetall(key);
        await kv.lpush(key, 'x');
        await kv.lrange(key, 0, -1);
        await kv.lmove(key, 'elsewhere', 'LEFT', 'RIGHT');
        await kv.sadd(key, 'x');
        await kv.smembers(key);
        await kv.zadd(key, 1, 'x');
        await kv.zrange(key, 0, -1);
        await kv.zrangebyscore(key, 0, 1);
        await kv.xadd(key, '2-0', { f: 'v' });
        await kv.xrange(key, '-', '+');
        await kv.xlen(key);
      }
      await kv.mget('string', 'hash', 'list', 'set', 'zset', 'stream');
      await kv.exists('string', 'hash', 'list', 'set', 'zset', 'stream');
      await kv.set('list', 'now a string');
      await kv.get('list');
    },
  },
  {
    name: 'keys: glob patterns',
    async run({ kv }) {
      for (const key of ['user:2', 'user:10', 'user:1', 'session:1', 'user:x.y', 'a+b', 'aab', 'a*', 'new\nline']) {
        await kv.set(key, '1');
      }
      for (const pattern of ['*', 'user:*', 'user:?', '*:1', 'user:x?y', 'user.*', 'a+b', 'a\\*', 'new?line', 'nothing*']) {
        await kv.keys(pattern);
      }
      await kv.del('user:1', 'user:2');
      await kv.keys('user:*');
    },
  },
  {
    name: 'corners: increments, indices and ids at their limits',
    async run({ kv, differs }) {
      await kv.hset('h', { spaced: ' 1', big: String(Number.MAX_SAFE_INTEGER), neg: '-3' });
      await kv.hincrBy('h', 'spaced', 1);
      await differs('counters-are-safe-integers', async () => {
        await kv.hincrBy('h', 'big', 1);
      });
      await kv.hdel('h', 'big');
      await kv.hincrBy('h', 'neg', -4);
      await kv.hincrBy('h', 'new', 0);
      await kv.hgetall('h');
      await kv.rpush('l', 'a', 'b', 'a');
      await kv.lrem('l', 1.5, 'a');
      await kv.ltrim('l', 0, 1.5);
      await kv.lindex('l', 0.5);
      await kv.lrem('l', -1, 'a');
      await kv.lrange('l', 0, -1);
      await kv.set('s', 'text');
      await kv.set('s', 'v', { GET: true, NX: true });
      await kv.rpush('list', 'x');
      await kv.set('list', 'v', { NX: true, GET: true });
      await kv.set('list', 'v', { XX: true });
      await kv.get('list');
      await kv.getdel('missing');
      await kv.xadd('x', '5-1', { a: 1 });
      await kv.xrange('x', '(-', '+');
      await kv.xrange('x', '-', '(0-0');
      await kv.xrange('x', '(5-1', '+');
      await kv.xrange('x', '5-1', '(5-1');
      await kv.xadd('x', '4-*', { a: 1 });
      await kv.xadd('x', '5', { a: 1 });
      await kv.xadd('x', '6-0', { a: 2 }, { MAXLEN: 0 });
      await kv.xlen('x');
      await kv.xrange('x', '-', '+');
      await kv.xread({ x: '0' }, { COUNT: -1 });
      await kv.xadd('x', '7-0', { a: 3 });
      await kv.xread({ x: '0-0' }, { COUNT: -1 });
      await kv.zadd('z', 0.1 + 0.2, 'a');
      await kv.zscore('z', 'a');
      await kv.zadd('z', -0, 'b');
      await kv.zrange('z', 0, -1, { REV: true, WITHSCORES: true });
      await kv.zrange('z', '(0', '(0', { BYSCORE: true });
      await kv.zrangebyscore('z', '(0.1', 1);
      await kv.zrangebyscore('z', '1e-1', '+1');
      await kv.zrangebyscore('z', ' 1', 2);
      await kv.zrangebyscore('z', '.5', '5.');
    },
  },
  {
    name: 'arity: commands that need at least one key, field or member',
    async run({ kv }) {
      await kv.set('k', 'v');
      await kv.hset('h', 'f', 'v');
      await kv.del();
      await kv.exists();
      await kv.mget();
      await kv.mset({});
      await kv.hset('h', {});
      await kv.hdel('h');
      await kv.lpush('l');
      await kv.rpush('l');
      await kv.sadd('s');
      await kv.srem('s');
      await kv.zadd('z', {});
      await kv.zrem('z');
      await kv.xadd('x', '*', {});
      await kv.xread({});
      await kv.get('k');
      await kv.hgetall('h');
    },
  },
  {
    name: 'keys: character classes, ranges and negation',
    async run({ kv, differs }) {
      await kv.mset({ 'user:1': 'a', 'user:2': 'b', 'user:3': 'c', 'user:a': 'd', 'user:]': 'e', 'user:-': 'f' });
      for (const pattern of ['user:[12]', 'user:[1-2]', 'user:[^1]', 'user:[!1]', 'user:[a-z]', 'user:[3-1]', 'user:[\\]]', 'user:[-]', 'user:[1', 'user:[]', 'user:[^]']) {
        await kv.keys(pattern);
      }
      await kv.set('café', '1');
      await kv.keys('caf*');
      await differs('patterns-match-characters', async () => {
        await kv.keys('caf?');
        await kv.keys('caf??');
      });
    },
  },
  {
    name: 'publish: counts the subscribers of the channel, each of whom gets the message',
    async run({ kv, subscribe, received }) {
      await kv.publish('news', 'nobody hears this');
      await subscribe('news');
      await kv.publish('news', 'one');
      await subscribe('news');
      await subscribe('other');
      await kv.publish('news', 2);
      await kv.publish('other', 'three');
      await kv.publish('nobody', 'four');
      await received();
    },
  },
];
