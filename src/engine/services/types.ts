// Contracts of the backing services a kata's processes reach through `env` (they outlive every process).

/** Options of KeyValue.set, named after Redis' SET flags. */
export interface SetOptions {
  /** expire after this many seconds */
  EX?: number;
  /** expire after this many milliseconds */
  PX?: number;
  /** only set when the key does not exist */
  NX?: boolean;
  /** only set when the key already exists */
  XX?: boolean;
  /** keep the key's current time to live instead of clearing it (not with EX or PX) */
  KEEPTTL?: boolean;
  /** answer with the previous value (or null) instead of 'OK', as Redis' `SET … GET` does */
  GET?: boolean;
}

/** Which end of a list: LEFT is the head (index 0), RIGHT the tail. */
export type ListEnd = 'LEFT' | 'RIGHT';

/**
 * A score bound of a sorted-set range: a number (`-Infinity`/`Infinity` for no bound), or Redis' text form:
 * `'(5'` excludes 5, `'-inf'`/`'+inf'` are the open ends.
 */
export type ScoreBound = number | string;

/** A member of a sorted set with its score, as `WITHSCORES` returns them. */
export interface ScoredMember {
  member: string;
  score: number;
}

/** Options of KeyValue.zrange, named after Redis' ZRANGE flags. */
export interface ZRangeOptions {
  /** start and stop are scores (ScoreBound), not ranks */
  BYSCORE?: boolean;
  /** highest score first; with BYSCORE, give the higher bound first */
  REV?: boolean;
  /** skip `offset` matches and return at most `count` (a negative count means all); BYSCORE only */
  LIMIT?: { offset: number; count: number };
  /** return `{ member, score }` objects instead of members */
  WITHSCORES?: boolean;
}

/** Options of KeyValue.zrangebyscore. */
export interface ZRangeByScoreOptions {
  /** skip `offset` matches and return at most `count` (a negative count means all) */
  LIMIT?: { offset: number; count: number };
  /** return `{ member, score }` objects instead of members */
  WITHSCORES?: boolean;
}

/**
 * One entry of a stream. Its id is `"<ms>-<seq>"`: the milliseconds of the clock when it was added (for `*`) and
 * a sequence number among entries of the same millisecond. Ids only grow, so the last id you read is a cursor.
 */
export interface StreamEntry {
  id: string;
  fields: Record<string, string>;
}

/** The new entries of one stream, as KeyValue.xread returns them. */
export interface StreamRead {
  key: string;
  entries: StreamEntry[];
}

/**
 * A Redis-like key-value store: strings, hashes, lists, sets, sorted sets and streams. Values are strings, as in
 * Redis (numbers are stored in their string form). Every method is atomic: no other call runs in the middle of it.
 * A command on a key that holds another kind of value fails with `WRONGTYPE …`, as in Redis.
 */
export interface KeyValue {
  // ---- strings and keys ----
  /** the string at `key`, or null (Redis GET) */
  get(key: string): Promise<string | null>;
  /**
   * Stores a string (Redis SET). 'OK', or null when NX/XX prevented the write; with `GET: true`, the previous
   * value (or null) instead. A plain set clears the key's time to live unless `KEEPTTL: true`.
   * @example await env.kv.set('lock:report', processId, { NX: true, PX: 30_000 }) // 'OK' for one process only
   */
  set(key: string, value: string | number, options: SetOptions & { GET: true }): Promise<string | null>;
  set(key: string, value: string | number, options?: SetOptions): Promise<'OK' | null>;
  /** the strings at several keys, null for a missing key or one of another kind (Redis MGET) */
  mget(...keys: string[]): Promise<(string | null)[]>;
  /** stores several strings at once, atomically (Redis MSET) */
  mset(values: Record<string, string | number>): Promise<'OK'>;
  /** the string at `key`, deleting the key (Redis GETDEL): take a one-time token exactly once */
  getdel(key: string): Promise<string | null>;
  /** how many of the keys existed and were deleted (Redis DEL) */
  del(...keys: string[]): Promise<number>;
  /** how many of the keys exist; a key named twice counts twice (Redis EXISTS) */
  exists(...keys: string[]): Promise<number>;
  /** adds 1 to the integer at `key` (a missing key counts as 0) and returns the result (Redis INCR) */
  incr(key: string): Promise<number>;
  /** adds `by` (an integer, may be negative) and returns the result (Redis INCRBY) */
  incrBy(key: string, by: number): Promise<number>;
  /** subtracts 1 and returns the result (Redis DECR) */
  decr(key: string): Promise<number>;
  /** 1 when the key exists and now expires in `seconds`, 0 otherwise; 0 or less deletes it (Redis EXPIRE) */
  expire(key: string, seconds: number): Promise<number>;
  /** like expire, in milliseconds (Redis PEXPIRE) */
  pexpire(key: string, ms: number): Promise<number>;
  /** seconds left, rounded to the nearest second; -1 no expiry; -2 no such key (Redis TTL) */
  ttl(key: string): Promise<number>;
  /** milliseconds left; -1 no expiry; -2 no such key (Redis PTTL) */
  pttl(key: string): Promise<number>;
  /** keys matching a glob pattern (`*`, `?`; a backslash escapes the next character), sorted (Redis KEYS, which promises no order) */
  keys(pattern: string): Promise<string[]>;

  // ---- hashes ----
  /** sets one field, or every field of an object; returns how many fields are new (Redis HSET) */
  hset(key: string, field: string | Record<string, string | number>, value?: string | number): Promise<number>;
  /** one field of a hash, or null (Redis HGET) */
  hget(key: string, field: string): Promise<string | null>;
  /** every field of a hash as an object; {} for a missing key (Redis HGETALL) */
  hgetall(key: string): Promise<Record<string, string>>;
  /** how many of the fields existed and were removed; an emptied hash disappears (Redis HDEL) */
  hdel(key: string, ...fields: string[]): Promise<number>;
  /** adds an integer to a field and returns the result (Redis HINCRBY) */
  hincrBy(key: string, field: string, by: number): Promise<number>;

  // ---- lists (queues) ----
  /** pushes each value to the head in turn (`lpush k a b` leaves [b, a]); returns the new length (Redis LPUSH) */
  lpush(key: string, ...values: (string | number)[]): Promise<number>;
  /** appends values to the tail; returns the new length (Redis RPUSH) */
  rpush(key: string, ...values: (string | number)[]): Promise<number>;
  /** removes and returns the head, or null when empty (Redis LPOP) */
  lpop(key: string): Promise<string | null>;
  /** removes and returns the tail, or null when empty (Redis RPOP) */
  rpop(key: string): Promise<string | null>;
  /** the length of a list; 0 for a missing key (Redis LLEN) */
  llen(key: string): Promise<number>;
  /** elements from `start` to `stop` inclusive; negative indices count from the tail (-1 is the last) (Redis LRANGE) */
  lrange(key: string, start: number, stop: number): Promise<string[]>;
  /** the element at `index` (negative counts from the tail), or null (Redis LINDEX) */
  lindex(key: string, index: number): Promise<string | null>;
  /**
   * Removes elements equal to `element`: the first `count` from the head (count > 0), the last -count from the tail
   * (count < 0), or all of them (0). Returns how many went (Redis LREM): acknowledge a job in a processing list.
   */
  lrem(key: string, count: number, element: string | number): Promise<number>;
  /** keeps only the elements from `start` to `stop` inclusive (Redis LTRIM): cap a list, e.g. the last 100 events */
  ltrim(key: string, start: number, stop: number): Promise<'OK'>;
  /**
   * Atomically moves one element from one end of `source` to one end of `destination` and returns it, or null when
   * `source` is empty (Redis LMOVE). The reliable-queue pattern: a worker moves a job to its processing list, so a
   * crash loses nothing, and removes it with lrem once done.
   * @example const job = await env.kv.lmove('jobs', 'jobs:processing', 'LEFT', 'RIGHT')
   */
  lmove(source: string, destination: string, from: ListEnd, to: ListEnd): Promise<string | null>;
  /** lmove(source, destination, 'RIGHT', 'LEFT'), under its older name (Redis RPOPLPUSH) */
  rpoplpush(source: string, destination: string): Promise<string | null>;

  // ---- sets ----
  /** adds members; returns how many were new (Redis SADD) */
  sadd(key: string, ...members: (string | number)[]): Promise<number>;
  /** removes members; returns how many were there; an emptied set disappears (Redis SREM) */
  srem(key: string, ...members: (string | number)[]): Promise<number>;
  /** every member, sorted (Redis SMEMBERS, which promises no order) */
  smembers(key: string): Promise<string[]>;
  /** 1 when `member` is in the set, else 0 (Redis SISMEMBER) */
  sismember(key: string, member: string | number): Promise<number>;
  /** how many members (Redis SCARD) */
  scard(key: string): Promise<number>;

  // ---- sorted sets (e.g. a sliding-window rate limiter: score = time) ----
  /** adds a member with a score, or updates its score; returns how many members were new (Redis ZADD) */
  zadd(key: string, score: number, member: string | number): Promise<number>;
  /** adds or updates several members at once: `{ member: score }` */
  zadd(key: string, members: Record<string, number>): Promise<number>;
  /** removes members; returns how many were there (Redis ZREM) */
  zrem(key: string, ...members: (string | number)[]): Promise<number>;
  /** how many members (Redis ZCARD) */
  zcard(key: string): Promise<number>;
  /** a member's score, or null (Redis ZSCORE) */
  zscore(key: string, member: string | number): Promise<number | null>;
  /**
   * Members from `start` to `stop`, lowest score first (ties in member order): by rank (0, -1 = all), or by score
   * with `BYSCORE` (Redis ZRANGE).
   * @example await env.kv.zrange(key, '-inf', now, { BYSCORE: true })
   */
  zrange(key: string, start: ScoreBound, stop: ScoreBound, options: ZRangeOptions & { WITHSCORES: true }): Promise<ScoredMember[]>;
  zrange(key: string, start: ScoreBound, stop: ScoreBound, options?: ZRangeOptions): Promise<string[]>;
  /** members whose score is between `min` and `max` (inclusive unless written `'(5'`) (Redis ZRANGEBYSCORE) */
  zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options: ZRangeByScoreOptions & { WITHSCORES: true }): Promise<ScoredMember[]>;
  zrangebyscore(key: string, min: ScoreBound, max: ScoreBound, options?: ZRangeByScoreOptions): Promise<string[]>;
  /**
   * Removes members whose score is between `min` and `max`; returns how many went (Redis ZREMRANGEBYSCORE).
   * @example await env.kv.zremrangebyscore(key, '-inf', now - windowMs) // forget requests older than the window
   */
  zremrangebyscore(key: string, min: ScoreBound, max: ScoreBound): Promise<number>;

  // ---- streams (an append-only log that a restarted process can resume from its last id) ----
  /**
   * Appends an entry and returns its id (Redis XADD). `id` is `'*'` (from the clock) or an explicit `"<ms>-<seq>"`
   * greater than the last one. `MAXLEN` keeps only the newest entries.
   * @example const id = await env.kv.xadd('chat', '*', { user: 'ada', text: 'hi' })
   */
  xadd(key: string, id: string, fields: Record<string, string | number>, options?: { MAXLEN?: number }): Promise<string>;
  /** entries with ids from `start` to `end` inclusive (`'-'` and `'+'` for the ends, `'(id'` to exclude one) (Redis XRANGE) */
  xrange(key: string, start: string, end: string, options?: { COUNT?: number }): Promise<StreamEntry[]>;
  /**
   * Entries after the given id of each stream (`{ chat: lastSeenId }`, `'0'` for all), or null when no stream has
   * any (Redis XREAD, never blocking). Keep the last id you handled in the store to resume after a restart.
   * Streams are read in the object's key order (JavaScript puts integer-like keys such as `'42'` first).
   */
  xread(streams: Record<string, string>, options?: { COUNT?: number }): Promise<StreamRead[] | null>;
  /** how many entries a stream holds (Redis XLEN) */
  xlen(key: string): Promise<number>;
  /** removes the oldest entries until at most MAXLEN are left; returns how many went (Redis XTRIM) */
  xtrim(key: string, options: { MAXLEN: number }): Promise<number>;

  // ---- pub/sub ----
  /**
   * Sends `message` to the processes subscribed to `channel` and returns how many there were (Redis PUBLISH).
   * Nothing is kept: a process that subscribes later never sees it (use a stream for that).
   */
  publish(channel: string, message: string | number): Promise<number>;
  /**
   * Calls `listener(message, channel)` for every message published to `channel` from now on, until this process
   * ends or unsubscribes (Redis SUBSCRIBE; node-redis reads `await client.subscribe(channel, listener)`).
   * A process that restarts has missed what was published meanwhile: use a stream to catch up.
   */
  subscribe(channel: string, listener: (message: string, channel: string) => void): Promise<void>;
  /** stops calling the listeners of `channel` (Redis UNSUBSCRIBE) */
  unsubscribe(channel: string): Promise<void>;
}

/** Metadata of a stored object, as S3's HEAD returns it. */
export interface ObjectInfo {
  key: string;
  size: number;
  contentType: string;
  /** virtual-clock time of the last write, in ms */
  uploaded: number;
  etag: string;
}

/** A stored object with its bytes. */
export interface StoredObject extends ObjectInfo {
  /**
   * A copy of the bytes of its own, over a plain ArrayBuffer (never a SharedArrayBuffer): what `new Response()`,
   * `new Blob()` and `crypto.subtle` take as it is.
   */
  body: Uint8Array<ArrayBuffer>;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type ObjectBody = string | Uint8Array | ArrayBuffer | Blob;

/** What a signed URL lets its holder do (see ObjectStore.signedUrl). */
export interface SignedUrlOptions {
  /** 'PUT' to upload, 'GET' to download */
  method: 'PUT' | 'GET';
  /** seconds the URL stays valid, 1 to 604800 (7 days), as S3's `expiresIn` */
  expiresIn: number;
  /** for PUT: the Content-Type header the upload must send */
  contentType?: string;
  /** for PUT: the most bytes the upload may carry (what S3's content-length-range does for a presigned POST) */
  maxBytes?: number;
}

/** An S3-like object store. */
export interface ObjectStore {
  put(key: string, body: ObjectBody, options?: { contentType?: string }): Promise<ObjectInfo>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<boolean>;
  list(options?: { prefix?: string }): Promise<ObjectInfo[]>;
  /**
   * A URL that lets whoever holds it upload (PUT) or download (GET) this one key straight from the store, without
   * going through any process, until it expires: S3's presigned URLs. The store refuses it once it has expired, or
   * if any part of it was changed (403 `SignatureDoesNotMatch`), or an upload is larger than `maxBytes` (413).
   * @example const url = await env.objects.signedUrl(`avatars/${user}`, { method: 'PUT', expiresIn: 300, contentType: 'image/png', maxBytes: 1_000_000 });
   */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
}

/** Result of a SQL query. */
export interface QueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  affectedRows: number;
  fields: { name: string }[];
}

/** A SQL database (Postgres dialect, PGlite underneath). */
export interface Sql {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<Row>>;
  /** run one or more statements without parameters */
  exec(sql: string): Promise<void>;
}

// ---- the job queue (env.queue; a worker's `queue(job, env)` handler gets the jobs) ----

export interface EnqueueOptions {
  /** wait this long (virtual ms) before the job can be delivered */
  delayMs?: number;
  /**
   * your id for the job: enqueueing a job whose id the queue already holds (waiting, running, done or dead) adds
   * nothing and returns that id (BullMQ's `jobId`, SQS's deduplication id)
   */
  jobId?: string;
  /** deliveries before the job goes to the dead-letter list (default 5) */
  attempts?: number;
  /**
   * make it a scheduled job (BullMQ's job schedulers): a job is added every `everyMs` (at least 60000), at the
   * multiples of `everyMs` since the epoch (daily: at midnight). Declaring the same schedule again (same queue and
   * `jobId`) from any number of processes keeps one schedule, so each run is one job, handed to one worker. A
   * run missed while no worker was running is run once when one is back.
   */
  repeat?: { everyMs: number };
}

/** A job as a worker's `queue(job, env)` handler gets it. */
export interface Job<Data = unknown> {
  id: string;
  queue: string;
  data: Data;
  /** 1 on the first delivery, 2 on the next (after a failure, or a worker that died holding it)… */
  attempt: number;
  /** deliveries it gets at most before it goes to the dead-letter list */
  attempts: number;
  /** virtual time it was enqueued (ms since the epoch) */
  enqueuedAt: number;
}

/** How many jobs of a queue are in each state. */
export interface QueueCounts {
  /** can be delivered now */
  waiting: number;
  /** delayed, or waiting out a back-off or a visibility time-out before it can be delivered again */
  delayed: number;
  /** held by a worker right now */
  active: number;
  /** acknowledged: its handler finished */
  done: number;
  /** gave up after its last attempt */
  dead: number;
}

/** What processes may call (`env.queue`). */
export interface Queue {
  /** add a job; returns its id (a new one, or the existing job's with the same `jobId`) */
  enqueue(queue: string, data: unknown, options?: EnqueueOptions): Promise<string>;
  counts(queue: string): Promise<QueueCounts>;
}

/** What a process sees as `env`: attached resources, as config. */
/**
 * What a kata's build step gets (`kata.json`'s `build`: `export async function build({ fs, env }: BuildInput)`). It
 * runs once per release, before any process starts; the disk it leaves is every process's disk at start. Files it
 * writes under `/app/public/` are served by the platform itself (a CDN in front of the app), never by a process:
 * `/app/public/assets/app.3f9a2c1b.js` answers `GET /assets/app.3f9a2c1b.js`. A name with a hex content hash before
 * its extension is cached by browsers for a year (`immutable`); other files are checked again with their ETag.
 */
export interface BuildInput {
  fs: BuildFs;
  env: Env;
}

/** The build step's disk: the same `node:fs` calls a process's own disk offers (the common ones listed here). */
export interface BuildFs {
  existsSync(path: string): boolean;
  readFileSync(path: string): Uint8Array<ArrayBuffer>;
  readFileSync(path: string, encoding: 'utf8' | 'utf-8' | { encoding: 'utf8' | 'utf-8' }): string;
  writeFileSync(path: string, data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void;
  mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined;
  readdirSync(path: string): string[];
  copyFileSync(from: string, to: string): void;
}

export interface Env {
  kv: KeyValue;
  objects: ObjectStore;
  db: Sql;
  /** a job queue with at-least-once delivery: jobs go to processes whose module has a `queue(job, env)` handler */
  queue: Queue;
  /** plain config values (twelve-factor factor III) */
  vars: Record<string, string>;
}

/**
 * One server-sent event, as a stream writes it: `id: 42\nevent: message\ndata: hi\n\n` (fields on lines of their
 * own, a blank line after). `retry` tells the browser how long to wait before it reconnects.
 * @example controller.enqueue(new TextEncoder().encode(`id: ${id}\ndata: ${JSON.stringify(message)}\n\n`))
 */
export interface ServerSentEventFields {
  /** sent back as the `Last-Event-ID` header when the browser reconnects: where to resume */
  id?: string;
  /** the event's name (`message` when left out) */
  event?: string;
  /** the payload; each line becomes a `data:` line */
  data: string;
  /** ms the browser waits before reconnecting */
  retry?: number;
}

/** What an app's module exports: `export default { async fetch(request, env) { … } } satisfies App`. */
export interface App {
  /**
   * Answers a request. A `Response` built on a `ReadableStream` is sent as a stream: its head at once, then each
   * chunk (bytes) as the app enqueues it, until the app closes it, the client hangs up (the stream's `cancel()`
   * runs) or the process ends. That is how server-sent events work: `content-type: text/event-stream`.
   * @example return new Response(new ReadableStream({ start(c) { clients.add(c); }, cancel() { … } }), { headers: { 'content-type': 'text/event-stream' } })
   */
  fetch(request: Request, env: Env): Response | Promise<Response>;
  /** runs when the process starts (subscribe to channels here) */
  start?(env: Env): unknown;
  /** runs on a graceful stop, within its 30 s grace period; its open streams close after it */
  stop?(env: Env): unknown;
  /** a consumer's job handler: return to acknowledge the job, throw to have it retried */
  queue?(job: Job, env: Env): unknown;
}
