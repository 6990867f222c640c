// The service methods a process may call over RPC: the allow-list both sides of the wire agree on.
import type { KeyValue, ObjectStore, Queue, Sql } from './types.ts';

/** Anything else (snapshot, close, constructor) stays out of a process's reach; `satisfies` ties each name to its interface. */
export const SERVICE_METHODS = {
  kv: [
    'get', 'set', 'mget', 'mset', 'getdel', 'del', 'exists', 'incr', 'incrBy', 'decr', 'expire', 'pexpire', 'ttl',
    'pttl', 'keys',
    'hset', 'hget', 'hgetall', 'hdel', 'hincrBy',
    'lpush', 'rpush', 'lpop', 'rpop', 'llen', 'lrange', 'lindex', 'lrem', 'ltrim', 'lmove', 'rpoplpush',
    'sadd', 'srem', 'smembers', 'sismember', 'scard',
    'zadd', 'zrem', 'zcard', 'zscore', 'zrange', 'zrangebyscore', 'zremrangebyscore',
    'xadd', 'xrange', 'xread', 'xlen', 'xtrim',
    'publish', 'subscribe', 'unsubscribe',
  ],
  objects: ['put', 'get', 'head', 'delete', 'list', 'signedUrl'],
  db: ['query', 'exec'],
  queue: ['enqueue', 'counts'],
} as const satisfies {
  kv: readonly (keyof KeyValue)[];
  objects: readonly (keyof ObjectStore)[];
  db: readonly (keyof Sql)[];
  queue: readonly (keyof Queue)[];
};

export type ServiceName = keyof typeof SERVICE_METHODS;

export function isServiceMethod(service: string, method: string): service is ServiceName {
  if (!Object.hasOwn(SERVICE_METHODS, service)) return false;
  return (SERVICE_METHODS as Record<string, readonly string[]>)[service]!.includes(method);
}
