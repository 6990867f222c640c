// Verdicts do not depend on how busy the machine is: the database starts outside every test, a wall-clock
// time-out is an error of the run rather than a fail, and every kata gets the same verdicts with every core busy.
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { listKatas, loadKata } from '../../../src/engine/kata/load-node.ts';
import { verifyKata } from '../../../src/engine/kata/verify.ts';
import { drainPooledPGlite } from '../../../src/engine/services/sql.ts';
import { test } from '../../../src/engine/testing/index.ts';
import { DEFAULT_TEST_TIMEOUT_MS, runTests, timedOut, type RunStatus } from '../../../src/engine/testing/runner.ts';
import type { TestDefinition } from '../../../src/engine/testing/types.ts';
import { runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(async () => {
  await host.dispose();
  await drainPooledPGlite();
});

const APP = "export default { fetch: () => new Response('ok') };";

/** Runs `tests` against `files` from an empty database pool, recording what onStatus reported. */
async function runCold(files: Record<string, string>, tests: TestDefinition[]) {
  await drainPooledPGlite();
  const statuses: RunStatus[] = [];
  const report = await runTests({
    host, files, processes: { web: 'app.ts' }, tests, seed: 1, onStatus: (status) => statuses.push(status),
  });
  return { report, statuses };
}

describe('the database start-up', () => {
  it('is done before the first test of a run whose kata test uses the database, and not charged to that test', async () => {
    let runs = 0;
    const { report, statuses } = await runCold({ 'app.ts': APP }, [
      // Had Postgres been started inside this test, the runner would have run it again (runs would be 2).
      test('the database answers', async ({ services, expect }) => {
        runs += 1;
        const { rows } = await services.db.query<{ n: number }>('select 41 + 1 as n');
        expect(rows[0]!.n).toBe(42);
      }),
    ]);
    expect(report.results.map((result) => [result.status, result.message])).toEqual([['pass', '']]);
    expect(statuses).toEqual(['starting-database', 'running']);
    expect(runs, 'the test was run again: the database was started inside it').toBe(1);
  });

  it('is done before the first test when only the learner code names the database', async () => {
    const app = `export default {
      async fetch(request, env) {
        const { rows } = await env.db.query('select 41 + 1 as n');
        return Response.json(rows[0]);
      },
    };`;
    const { report, statuses } = await runCold({ 'app.ts': app }, [
      test('the app answers from its database', async ({ cluster, client, expect }) => {
        await cluster.start({ web: 1 });
        expect((await client().get('/')).json().n).toBe(42);
      }),
    ]);
    expect(report.results.map((result) => [result.status, result.message])).toEqual([['pass', '']]);
    expect(statuses).toEqual(['starting-database', 'running']);
  });

  it('is not waited for by a run whose code and tests never mention the database', async () => {
    const { report, statuses } = await runCold({ 'app.ts': APP }, [
      test('the app answers', async ({ cluster, client, expect }) => {
        await cluster.start({ web: 1 });
        expect((await client().get('/')).text()).toBe('ok');
      }),
    ]);
    expect(report.status).toBe('pass');
    expect(statuses).toEqual(['running']);
  });

  it('does not decide a test of code that reaches the database without naming it: that test is run again once it has started', async () => {
    // `env['d' + 'b']`: no word the runner can see, so the database is first started inside the test.
    const app = `export default {
      async fetch(request, env) {
        const { rows } = await env['d' + 'b'].query('select 41 + 1 as n');
        return Response.json(rows[0]);
      },
    };`;
    let runs = 0;
    const { report } = await runCold({ 'app.ts': app }, [
      test('the app answers from its store', async ({ cluster, client, expect }) => {
        runs += 1;
        await cluster.start({ web: 1 });
        expect((await client().get('/')).json().n).toBe(42);
      }),
    ]);
    expect(runs).toBe(2);
    expect(report.results.map((result) => [result.status, result.message])).toEqual([['pass', '']]);
  });

  it('keeps each test of a run to an empty database of its own', async () => {
    const tables: unknown[][] = [];
    const listTables = async (db: { query(sql: string): Promise<{ rows: unknown[] }> }) =>
      (await db.query("select table_name from information_schema.tables where table_schema = 'public'")).rows;
    const { report } = await runCold({ 'app.ts': APP }, [
      test('the first test makes a table', async ({ services }) => {
        await services.db.exec('create table notes (body text); insert into notes values (\'left behind\')');
        tables.push(await listTables(services.db));
      }),
      test('the second test finds none', async ({ services }) => {
        tables.push(await listTables(services.db));
      }),
    ]);
    expect(report.status).toBe('pass');
    expect(tables).toEqual([[{ table_name: 'notes' }], []]);
  });
});

describe('the wall-clock time-out of a test', () => {
  it('is a last resort of at least a minute, not the judge of slow code', () => {
    expect(DEFAULT_TEST_TIMEOUT_MS).toBeGreaterThanOrEqual(60_000);
  });

  it('is reported as an error that says the machine may be too busy or the code waits forever, not as a fail', async () => {
    const { result } = await runApp(
      host,
      APP,
      async ({ cluster }) => {
        await cluster.start({ web: 1 });
        await new Promise(() => {}); // waits forever
      },
      { timeout: 250 },
    );
    expect(result.status).toBe('error');
    expect(result.message).toBe(timedOut(250));
    expect(result.message).toMatch(/^the test did not finish within 0\.25 s: the machine may be too busy .*waits for something that never happens$/);
  });
});

/** "subject  test name" → pass / fail / error, with the message to show when two runs disagree. */
type Verdicts = Map<string, { status: string; message: string }>;

/** Verifies a kata (starter, solution, alternatives, wrong variants) on a host of its own; each test's verdict. */
async function verdictsOf(slug: string): Promise<Verdicts> {
  const verdicts: Verdicts = new Map();
  const kata = await loadKata(slug);
  const runHost = new NodeHost();
  try {
    for (const check of await verifyKata(kata, runHost, 1)) {
      for (const result of check.report.results) {
        verdicts.set(`${check.subject}  "${result.name}"`, { status: result.status, message: result.message });
      }
    }
  } finally {
    await runHost.dispose();
  }
  return verdicts;
}

/** Threads that spin without pause, each counting its laps in shared memory; they stop themselves after `maxMs`. */
async function startHogs(count: number, maxMs: number) {
  const laps = new Int32Array(new SharedArrayBuffer(4 * count));
  const code = `
    const { workerData } = require('node:worker_threads');
    const laps = new Int32Array(workerData.laps);
    const deadline = Date.now() + workerData.maxMs;
    for (let i = 1; ; i++) {
      if ((i & 0xfffff) === 0) {
        Atomics.add(laps, workerData.index, 1);
        if (Date.now() > deadline) break;
      }
    }`;
  const workers = Array.from({ length: count }, (_, index) => new Worker(code, { eval: true, workerData: { laps: laps.buffer, index, maxMs } }));
  await Promise.all(workers.map((worker) => once(worker, 'online')));
  return {
    laps: () => [...laps],
    stop: () => Promise.all(workers.map((worker) => worker.terminate())),
  };
}

const TEN_MINUTES = 600_000;

/**
 * Katas that between them use every engine primitive a verdict can hang on: the store and restarts, the database
 * (whose start-up once decided verdicts), objects and uploads, chaos in the middle of requests, the job queue. Each kata takes
 * minutes here (idle, then with every core busy), so the course's other katas are compared only with
 * DOJO_BUSY_ALL=1; `kata verify` still checks every kata in every run.
 */
const REPRESENTATIVE = ['visit-counter', 'notes', 'avatar-upload', 'rate-limiter', 'thumbnails'];
const ALL_KATAS = await listKatas();
const BUSY_KATAS = process.env.DOJO_BUSY_ALL ? ALL_KATAS : REPRESENTATIVE;

it('the katas compared on a busy machine all exist (a renamed kata must not drop out unnoticed)', () => {
  expect(REPRESENTATIVE.filter((slug) => !ALL_KATAS.includes(slug))).toEqual([]);
});

// One test per kata, so each test's time stays the same however many katas the course has.
describe.each(BUSY_KATAS)('on a machine whose every core is busy, the kata %s', (slug) => {
  it('gets the same verdict in every test of its starter, solutions and wrong variants as on an idle machine', async () => {
    const idleStarted = performance.now();
    const idle = await verdictsOf(slug);
    const idleMs = performance.now() - idleStarted;

    const hogCount = availableParallelism() * 2;
    const hogs = await startHogs(hogCount, TEN_MINUTES);
    let busy: Verdicts;
    let lapsBefore: number[];
    let lapsAfter: number[];
    const busyStarted = performance.now();
    try {
      lapsBefore = hogs.laps();
      busy = await verdictsOf(slug);
      lapsAfter = hogs.laps();
    } finally {
      await hogs.stop();
    }
    const busyMs = performance.now() - busyStarted;
    console.log(`${slug}: ${idle.size} test verdicts; idle ${Math.round(idleMs / 1000)} s, with ${hogCount} spinning threads ${Math.round(busyMs / 1000)} s`);

    // The load was real: every spinning thread kept spinning while the kata ran.
    expect(lapsAfter.every((lap, index) => lap > lapsBefore[index]!), `laps of the spinning threads: ${lapsBefore} → ${lapsAfter}`).toBe(true);
    expect(idle.size).toBeGreaterThan(0);
    const verdict = (run: { status: string; message: string } | undefined) =>
      run ? `${run.status}${run.message ? ` (${run.message})` : ''}` : 'not run';
    const differences = [...new Set([...idle.keys(), ...busy.keys()])]
      .filter((key) => idle.get(key)?.status !== busy.get(key)?.status)
      .map((key) => `${key}: idle ${verdict(idle.get(key))}, busy ${verdict(busy.get(key))}`);
    expect(differences).toEqual([]);
  }, TEN_MINUTES);
});
