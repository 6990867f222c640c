// Creates a kata's backing services (they live in the supervisor) and lists what processes may call over RPC.
import { MemoryKeyValue } from './kv.ts';
import { MemoryObjectStore } from './objects.ts';
import { LazySql, openPooledPGlite } from './sql.ts';

export type * from './types.ts';
export { MemoryKeyValue } from './kv.ts';
export { MemoryObjectStore, StoredObjectData, wrapStoredObject } from './objects.ts';
export type { StoredObjectFields } from './objects.ts';
export { LazySql } from './sql.ts';

export interface Services {
  kv: MemoryKeyValue;
  objects: MemoryObjectStore;
  db: LazySql;
  /** releases what the services hold (PGlite, if it was started) */
  close(): Promise<void>;
}

export function createServices(clock: { now(): number }): Services {
  const kv = new MemoryKeyValue(clock);
  const objects = new MemoryObjectStore(clock);
  const db = new LazySql(openPooledPGlite);
  return {
    kv,
    objects,
    db,
    async close() {
      await db.close();
    },
  };
}

export { SERVICE_METHODS, isServiceMethod, type ServiceName } from './methods.ts';
