// Unit tests of the lazily started PGlite SQL backing service.
import { afterAll, describe, it, expect, expectTypeOf } from 'vitest';
import { LazySql, toCloneable, type SqlEngine } from '../../../src/engine/services/sql.ts';
import { SERVICE_METHODS } from '../../../src/engine/services/index.ts';
import type { Sql } from '../../../src/engine/services/types.ts';

/** A stand-in engine for the start-up logic, so those tests don't pay PGlite's start time. */
function fakeEngine(): SqlEngine & { closed: number } {
  return {
    closed: 0,
    async query() {
      return { rows: [{ big: 2n ** 60n, small: 7n }], affectedRows: 0, fields: [{ name: 'big' }, { name: 'small' }] };
    },
    async exec() {
      return [];
    },
    async close() {
      this.closed++;
    },
  };
}

describe('LazySql start-up', () => {
  it('concurrent first calls share one start', async () => {
    let opens = 0;
    const db = new LazySql(async () => {
      opens++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return fakeEngine();
    });
    await Promise.all([db.query('select 1'), db.exec('select 1'), db.query('select 2')]);
    expect(opens).toBe(1);
  });

  it('a failed start is reported as a plain Error and retried on the next call', async () => {
    let opens = 0;
    const db = new LazySql(async () => {
      opens++;
      if (opens === 1) throw new TypeError('wasm failed to load');
      return fakeEngine();
    });
    await expect(db.query('select 1')).rejects.toThrow('wasm failed to load');
    expect(db.started).toBe(false);
    await expect(db.query('select 1')).resolves.toMatchObject({ affectedRows: 0 });
    expect(opens).toBe(2);
  });

  it('close closes a started engine once, and later queries fail clearly', async () => {
    const engine = fakeEngine();
    const db = new LazySql(async () => engine);
    await db.exec('select 1');
    await db.close();
    expect(engine.closed).toBe(1);
    await expect(db.query('select 1')).rejects.toThrow('db: the database is closed');
  });

  it('close without a start starts nothing', async () => {
    let opens = 0;
    const db = new LazySql(async () => {
      opens++;
      return fakeEngine();
    });
    await db.close();
    expect(opens).toBe(0);
    expect(db.started).toBe(false);
  });

  it('converts bigint to a number when exact, else to a string', async () => {
    const db = new LazySql(async () => fakeEngine());
    const result = await db.query('select');
    expect(result.rows).toEqual([{ big: '1152921504606846976', small: 7 }]);
    expect(toCloneable({ nested: [1n, { d: new Date(0) }] })).toEqual({ nested: [1, { d: new Date(0) }] });
  });
});

// One real PGlite for the rest of the file: each start costs seconds.
describe('LazySql with PGlite', () => {
  const db = new LazySql();
  afterAll(() => db.close());

  it('is not started until the first query, then is', async () => {
    expect(db.started).toBe(false);
    const result = await db.query('select 1 as one');
    expect(db.started).toBe(true);
    expect(result.rows).toEqual([{ one: 1 }]);
  });

  it('creates a table, inserts with params and selects them back', async () => {
    await db.exec('create table notes (id serial primary key, body text not null, created_at timestamptz)');
    const insert = await db.query('insert into notes (body, created_at) values ($1, $2), ($3, $2) returning id', [
      'first',
      new Date(Date.UTC(2026, 0, 1)),
      'second',
    ]);
    expect(insert.affectedRows).toBe(2);
    expect(insert.rows).toEqual([{ id: 1 }, { id: 2 }]);
    const select = await db.query<{ id: number; body: string; created_at: Date }>(
      'select id, body, created_at from notes where body = $1',
      ['second'],
    );
    expect(select.fields).toEqual([{ name: 'id' }, { name: 'body' }, { name: 'created_at' }]);
    expect(select.rows).toEqual([{ id: 2, body: 'second', created_at: new Date(Date.UTC(2026, 0, 1)) }]);
  });

  it('reports affected rows of an update', async () => {
    await db.exec("create table counters (name text primary key, n int); insert into counters values ('a', 1), ('b', 1)");
    const update = await db.query('update counters set n = n + $1', [5]);
    expect(update.affectedRows).toBe(2);
    expect(update.rows).toEqual([]);
  });

  it('re-throws a Postgres error as a plain Error with its message', async () => {
    const error = await db.query('select * from missing_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
    expect((error as Error).message).toBe('relation "missing_table" does not exist');
    expect((error as Error & { code?: string }).code).toBe('42P01');
    await expect(db.exec('select from nowhere where')).rejects.toThrow(/syntax error/);
  });

  it('returns structured-cloneable results, with int8 bigints made plain', async () => {
    const result = await db.query(
      "select 42::int8 as small, 9007199254740993::int8 as big, now() as at, '\\x0102'::bytea as bytes, '{\"a\":[1]}'::jsonb as doc, 1.5::numeric as num",
    );
    expect(result.rows[0]).toMatchObject({ small: 42, big: '9007199254740993', bytes: new Uint8Array([1, 2]), doc: { a: [1] }, num: '1.5' });
    expect(result.rows[0].at).toBeInstanceOf(Date);
    expect(structuredClone(result)).toEqual(result);
    const exec = await db.exec('select 1');
    expect(structuredClone(exec)).toBeUndefined();
  });

  it('the RPC allow-list names every Sql method', () => {
    expectTypeOf<(typeof SERVICE_METHODS.db)[number]>().toEqualTypeOf<keyof Sql>();
    for (const name of SERVICE_METHODS.db) expect(typeof db[name]).toBe('function');
    expect(SERVICE_METHODS.db).toEqual(['query', 'exec']);
  });
});

describe('openPooledPGlite', () => {
  it('hands the next test an empty database after the previous one made tables and schemas', async () => {
    const { openPooledPGlite } = await import('../../../src/engine/services/sql.ts');
    const first = await openPooledPGlite();
    await first.exec('create table notes (id serial primary key, body text); create schema extra; create table extra.t (x int);');
    await first.query('insert into notes (body) values ($1)', ['kept?']);
    await first.close();
    const second = await openPooledPGlite();
    const { rows } = await second.query("select table_schema, table_name from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')");
    expect(rows).toEqual([]);
    await second.exec('create table notes (id serial primary key)');
    const inserted = await second.query('insert into notes default values returning id');
    expect(inserted.rows[0]!.id).toBe(1);
    await second.close();
  });
});
