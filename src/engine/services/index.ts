// Creates a kata's backing services (they live in the supervisor) and lists what processes may call over RPC.
import { MemoryKeyValue } from './kv.ts';
import { MemoryObjectStore } from './objects.ts';
import { MemoryQueue } from './queue.ts';
import { LazySql, openPooledPGlite, pooledPGliteWarm, warmPooledPGlite } from './sql.ts';

export type * from './types.ts';
export { MemoryKeyValue } from './kv.ts';
export { MemoryObjectStore, StoredObjectData, wrapStoredObject } from './objects.ts';
export type { StoredObjectFields } from './objects.ts';
export { LazySql } from './sql.ts';
export { MemoryQueue } from './queue.ts';

export interface Services {
  kv: MemoryKeyValue;
  objects: MemoryObjectStore;
  db: LazySql;
  queue: MemoryQueue;
  /**
   * true when the database had to be started while these services were in use (no started one was waiting in
   * the pool): the seconds that took were spent inside whatever was running, e.g. a test.
   */
  readonly databaseStartedCold: boolean;
  /** releases what the services hold (PGlite, if it was started) */
  close(): Promise<void>;
}

/** Whether a started database is waiting, so the next test's first query does not start Postgres. */
export function databaseWarm(): boolean {
  return pooledPGliteWarm();
}

/** Starts a database ahead of need (seconds, more on a busy machine), to keep that time out of every test. */
export function warmDatabase(): Promise<void> {
  return warmPooledPGlite();
}

export function createServices(clock: { now(): number }): Services {
  const kv = new MemoryKeyValue(clock);
  const objects = new MemoryObjectStore(clock);
  const queue = new MemoryQueue(clock);
  let cold = false;
  const db = new LazySql(() => {
    if (!pooledPGliteWarm()) cold = true;
    return openPooledPGlite();
  });
  return {
    kv,
    objects,
    db,
    queue,
    get databaseStartedCold() {
      return cold;
    },
    async close() {
      await db.close();
    },
  };
}

export { SERVICE_METHODS, isServiceMethod, type ServiceName } from './methods.ts';
