// The SQL backing service: an in-memory PGlite (Postgres) that is only loaded when a kata first uses SQL.
import type { QueryResult, Sql } from './types.ts';

/** The part of PGlite this service uses; a seam so tests can count or fake starts. */
export interface SqlEngine {
  query(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: Record<string, unknown>[]; affectedRows?: number; fields: { name: string }[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

export type OpenSqlEngine = () => Promise<SqlEngine>;

/** Loads and starts PGlite in memory. The dynamic import keeps its several-MB WASM out of katas without SQL. */
export const openPGlite: OpenSqlEngine = async () => {
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create();
};

const idle: SqlEngine[] = [];
/** A start made by warmPooledPGlite that has not reached the pool yet. */
let warming: Promise<void> | null = null;

/** true when the next openPooledPGlite() will get a started database at once, without starting Postgres. */
export function pooledPGliteWarm(): boolean {
  return idle.length > 0;
}

/**
 * Starts a database into the pool when it holds none, so the next openPooledPGlite() costs milliseconds.
 * Starting Postgres takes seconds (up to twenty on a busy machine): the runner calls this between tests, so
 * that time is never charged to one. Concurrent calls share one start; a failed start rejects and leaves the
 * pool as it was (the next query tries again and reports the error to whoever made it).
 */
export function warmPooledPGlite(open: OpenSqlEngine = openPGlite): Promise<void> {
  if (idle.length > 0) return Promise.resolve();
  warming ??= open()
    .then((engine) => void idle.push(engine))
    .finally(() => {
      warming = null;
    });
  return warming;
}

/** Closes every started database waiting in the pool (frees their memory; the next one needed starts anew). */
export async function drainPooledPGlite(): Promise<void> {
  await Promise.all(idle.splice(0).map((engine) => engine.close().catch(() => undefined)));
}

/**
 * Starting Postgres takes seconds; emptying it takes milliseconds. Each test gets a database of
 * its own, taken from a pool of started ones: its `close()` drops every schema the test made and returns it.
 */
export const openPooledPGlite: OpenSqlEngine = async () => {
  // A start under way is the pool's next database: wait for it rather than start a second one.
  if (idle.length === 0 && warming) await warming.catch(() => undefined);
  const engine = idle.pop() ?? (await openPGlite());
  let returned = false;
  return {
    query: (sql, params) => engine.query(sql, params),
    exec: (sql) => engine.exec(sql),
    async close() {
      if (returned) return;
      returned = true;
      try {
        // An unfinished transaction or session state (temp tables, settings) must not reach the next test.
        await engine.exec('rollback').catch(() => undefined);
        await engine.exec('discard all');
        const { rows } = await engine.query(
          "select nspname from pg_namespace where nspname not like 'pg\\_%' and nspname <> 'information_schema'",
        );
        const drops = rows.map((row) => `drop schema "${String(row.nspname).replace(/"/g, '""')}" cascade;`).join(' ');
        await engine.exec(`${drops} create schema public;`);
        idle.push(engine);
      } catch {
        await engine.close();
      }
    },
  };
};

/** Rebuilds a thrown value as a plain Error carrying only the Postgres message (and SQLSTATE code), safe to clone. */
function plainError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const plain = new Error(message);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') Object.assign(plain, { code });
  return plain;
}

/** Makes a result value structured-cloneable: bigint becomes a number when exact, else a string. */
export function toCloneable(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  // A copy, so a view into a larger PGlite buffer doesn't drag that whole buffer through postMessage.
  if (value instanceof Uint8Array) return value.slice();
  if (Array.isArray(value)) return value.map(toCloneable);
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(copy, key, { value: toCloneable(item), enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

export class LazySql implements Sql {
  readonly #open: OpenSqlEngine;
  #engine: Promise<SqlEngine> | null = null;
  #closed = false;

  constructor(open: OpenSqlEngine = openPGlite) {
    this.#open = open;
  }

  /** true once the database has been started (or is starting), i.e. after the first query or exec */
  get started(): boolean {
    return this.#engine !== null;
  }

  async query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<Row>> {
    if (typeof sql !== 'string') throw new TypeError('db.query: sql must be a string');
    if (!Array.isArray(params)) throw new TypeError('db.query: params must be an array');
    const engine = await this.#ready();
    try {
      const result = await engine.query(sql, params);
      return {
        rows: result.rows.map((row) => toCloneable(row) as Row),
        affectedRows: result.affectedRows ?? 0,
        fields: result.fields.map(({ name }) => ({ name })),
      };
    } catch (error) {
      throw plainError(error);
    }
  }

  async exec(sql: string): Promise<void> {
    if (typeof sql !== 'string') throw new TypeError('db.exec: sql must be a string');
    const engine = await this.#ready();
    try {
      await engine.exec(sql);
    } catch (error) {
      throw plainError(error);
    }
  }

  /** Closes the database if it was started; afterwards every query fails (data would otherwise vanish silently). */
  async close(): Promise<void> {
    this.#closed = true;
    const engine = this.#engine;
    if (engine === null) return;
    try {
      await (await engine).close();
    } catch {
      // A database that failed to start has nothing to close.
    }
  }

  #ready(): Promise<SqlEngine> {
    if (this.#closed) return Promise.reject(new Error('db: the database is closed'));
    // One shared promise, so concurrent first queries start a single database.
    this.#engine ??= this.#open().catch((error: unknown) => {
      this.#engine = null; // let a later call try again
      throw plainError(error);
    });
    return this.#engine;
  }
}
