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
}

/** A Redis-like key-value store. Values are strings, as in Redis. Every method is atomic. */
export interface KeyValue {
  get(key: string): Promise<string | null>;
  /** 'OK', or null when NX/XX prevented the write */
  set(key: string, value: string | number, options?: SetOptions): Promise<'OK' | null>;
  del(...keys: string[]): Promise<number>;
  exists(...keys: string[]): Promise<number>;
  incr(key: string): Promise<number>;
  incrBy(key: string, by: number): Promise<number>;
  decr(key: string): Promise<number>;
  /** 1 when the key exists and now expires, 0 otherwise */
  expire(key: string, seconds: number): Promise<number>;
  pexpire(key: string, ms: number): Promise<number>;
  /** seconds left; -1 no expiry; -2 no such key */
  ttl(key: string): Promise<number>;
  pttl(key: string): Promise<number>;
  /** keys matching a glob pattern (`*`, `?`) */
  keys(pattern: string): Promise<string[]>;
  hset(key: string, field: string | Record<string, string | number>, value?: string | number): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hgetall(key: string): Promise<Record<string, string>>;
  hdel(key: string, ...fields: string[]): Promise<number>;
  hincrBy(key: string, field: string, by: number): Promise<number>;
  lpush(key: string, ...values: (string | number)[]): Promise<number>;
  rpush(key: string, ...values: (string | number)[]): Promise<number>;
  lpop(key: string): Promise<string | null>;
  rpop(key: string): Promise<string | null>;
  llen(key: string): Promise<number>;
  lrange(key: string, start: number, stop: number): Promise<string[]>;
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

/** An S3-like object store. */
export interface ObjectStore {
  put(key: string, body: ObjectBody, options?: { contentType?: string }): Promise<ObjectInfo>;
  get(key: string): Promise<StoredObject | null>;
  head(key: string): Promise<ObjectInfo | null>;
  delete(key: string): Promise<boolean>;
  list(options?: { prefix?: string }): Promise<ObjectInfo[]>;
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

/** What a process sees as `env`: attached resources, as config. */
export interface Env {
  kv: KeyValue;
  objects: ObjectStore;
  db: Sql;
  /** plain config values (twelve-factor factor III) */
  vars: Record<string, string>;
}
