// The WebContainer engine against a fake WebContainer: boot and mount once, write the run's inputs, read the runner's output.
import { describe, expect, it } from 'vitest';
import { WebContainerEngine, type WebContainerEngineOptions } from '../../../src/engine/hosts/webcontainer/webcontainer-engine.ts';
import { REPORT_MARK, RESULT_MARK, ERROR_MARK } from '../../../src/engine/hosts/webcontainer/protocol.ts';
import type { RunRequest } from '../../../src/engine/hosts/engine.ts';
import type { TestResult } from '../../../src/engine/testing/types.ts';
import { deferred, FakeContainer, report, result, sleep, type FakeProcess } from './fakes.ts';

const REQUEST: RunRequest = {
  slug: 'visit-counter',
  files: { 'app.ts': 'export default {}', 'lib/store.ts': 'export const x = 1;' },
  seed: 42,
  suite: 'hidden',
  only: ['every visit is counted'],
};

function setup(options: WebContainerEngineOptions = {}) {
  const container = new FakeContainer();
  let boots = 0;
  let fetches = 0;
  const engine = new WebContainerEngine({
    boot: async () => {
      boots += 1;
      return container;
    },
    fetchRunner: async () => {
      fetches += 1;
      return '// runner';
    },
    ...options,
  });
  const output: string[] = [];
  engine.onOutput((line) => output.push(line));
  return { engine, container, output, counts: () => ({ boots, fetches }) };
}

/** A runner that prints what a real one prints, through a pseudo-terminal (\r\n), in awkward chunks. */
function passingRunner(process: FakeProcess): void {
  const first = result('every visit is counted');
  const text = [
    'visit-counter: 1 hidden test, seed 42',
    '✓ every visit is counted (12 ms)',
    `${RESULT_MARK}${JSON.stringify(first)}`,
    '1 passed, 0 failed, 0 could not run (0.01 s)',
    `${REPORT_MARK}${JSON.stringify(report([first], 42))}`,
    '',
  ].join('\r\n');
  for (let i = 0; i < text.length; i += 7) process.print(text.slice(i, i + 7));
  process.end(0);
}

describe('WebContainerEngine', () => {
  it('is the WebContainer engine, by kind and label', () => {
    const { engine } = setup();
    expect(engine.kind).toBe('webcontainer');
    expect(engine.label).toBe('WebContainer (real Node.js processes)');
  });

  it('ready() boots once and mounts the fetched runner as runner.mjs', async () => {
    const { engine, container, counts } = setup();
    await Promise.all([engine.ready(), engine.ready()]);
    await engine.ready();
    expect(counts()).toEqual({ boots: 1, fetches: 1 });
    expect(container.mounts).toEqual([{ 'runner.mjs': { file: { contents: '// runner' } } }]);
  });

  it('a failed runner download can be retried without booting a second WebContainer', async () => {
    let attempt = 0;
    const { engine, counts, container } = setup({
      fetchRunner: async () => {
        attempt += 1;
        if (attempt === 1) throw new Error('could not load the WebContainer runner from /webcontainer/runner.mjs (HTTP 404)');
        return '// runner';
      },
    });
    await expect(engine.ready()).rejects.toThrow('HTTP 404');
    await engine.ready();
    expect(counts().boots).toBe(1);
    expect(container.mounts).toHaveLength(1);
  });

  it('writes request.json and the files, runs node runner.mjs, streams lines and results, and resolves with the report', async () => {
    const { engine, container, output } = setup();
    container.onSpawn = passingRunner;
    const results: TestResult[] = [];
    const got = await engine.run(REQUEST, (r) => results.push(r));

    expect(container.log[0]).toBe('rm kata');
    expect(container.folders).toEqual(new Set(['kata/files', 'kata/files/lib']));
    expect(JSON.parse(container.files.get('kata/request.json')!)).toEqual({
      slug: 'visit-counter', seed: 42, suite: 'hidden', only: ['every visit is counted'],
    });
    expect(container.files.get('kata/files/app.ts')).toBe('export default {}');
    expect(container.files.get('kata/files/lib/store.ts')).toBe('export const x = 1;');
    expect(container.spawned.map((p) => [p.command, p.args])).toEqual([['node', ['runner.mjs', 'kata']]]);

    expect(got.status).toBe('pass');
    expect(got.seed).toBe(42);
    expect(got.results.map((r) => r.name)).toEqual(['every visit is counted']);
    expect(results.map((r) => r.name)).toEqual(['every visit is counted']);
    expect(output).toEqual([
      'visit-counter: 1 hidden test, seed 42',
      '✓ every visit is counted (12 ms)',
      '1 passed, 0 failed, 0 could not run (0.01 s)',
    ]);
  });

  it('clears the previous run’s files before writing the next run’s', async () => {
    const { engine, container } = setup();
    container.onSpawn = passingRunner;
    await engine.run(REQUEST);
    await engine.run({ ...REQUEST, files: { 'app.ts': 'v2' } });
    expect(container.files.has('kata/files/lib/store.ts')).toBe(false);
    expect(container.files.get('kata/files/app.ts')).toBe('v2');
  });

  it('reads protocol lines wrapped in terminal colour codes', async () => {
    const { engine, container } = setup();
    container.onSpawn = (process) => {
      process.print(`\u001b[0m${REPORT_MARK}${JSON.stringify(report([result('a')]))}\u001b[0m\r\n`);
      process.end(0);
    };
    expect((await engine.run(REQUEST)).results[0]!.name).toBe('a');
  });

  it('rejects clearly when the process exits without a report, quoting its last output', async () => {
    const { engine, container } = setup({ exitGraceMs: 10 });
    container.onSpawn = (process) => {
      process.print('file:///home/dojo/runner.mjs:1\r\nSyntaxError: Unexpected token\r\n');
      process.end(1);
    };
    await expect(engine.run(REQUEST)).rejects.toThrow(
      'the WebContainer run ended (exit code 1) without a report; its last output was: file:///home/dojo/runner.mjs:1 / SyntaxError: Unexpected token',
    );
  });

  it('does not wait for an output stream that stays open after the exit longer than the grace period', async () => {
    const { engine, container } = setup({ exitGraceMs: 20 });
    container.onSpawn = (process) => process.exitOnly(3);
    // Were it to wait for the stream, this would never settle and the test would time out.
    await expect(engine.run(REQUEST)).rejects.toThrow('exit code 3');
  });

  it("rejects with the runner's own message when it could not run the tests", async () => {
    const { engine, container, output } = setup();
    container.onSpawn = (process) => {
      process.print(`${ERROR_MARK}no kata named "nope" in this runner\r\n`);
      process.end(2);
    };
    await expect(engine.run({ ...REQUEST, slug: 'nope' })).rejects.toThrow(
      'the WebContainer runner could not run the tests: no kata named "nope" in this runner',
    );
    expect(output).toEqual(['! no kata named "nope" in this runner']);
  });

  it('rejects and kills the process when the report is malformed', async () => {
    const { engine, container } = setup();
    let victim: FakeProcess | undefined;
    container.onSpawn = (process) => {
      victim = process;
      process.print(`${REPORT_MARK}{"status":"pass","seed":1,"resu\r\n`);
    };
    await expect(engine.run(REQUEST)).rejects.toThrow("the WebContainer runner's output could not be read: the report from the runner is not valid JSON");
    expect(victim!.killed).toBe(true);
  });

  it('rejects a report without results, and a result line without a status', async () => {
    const { engine, container } = setup();
    container.onSpawn = (process) => process.print(`${REPORT_MARK}{"status":"pass","seed":1}\n`);
    await expect(engine.run(REQUEST)).rejects.toThrow('does not have a status, seed, results and diagnostics');
    container.onSpawn = (process) => process.print(`${RESULT_MARK}{"name":"a"}\n`);
    await expect(engine.run(REQUEST)).rejects.toThrow('does not have a name, status, message and events');
  });

  it('the watchdog kills a process that hangs, and the next run still works', async () => {
    const { engine, container } = setup({ watchdogMs: 50 });
    container.onSpawn = (process) => process.print('visit-counter: 1 hidden test, seed 42\n');
    const started = performance.now();
    await expect(engine.run(REQUEST)).rejects.toThrow('the WebContainer run printed nothing for 0.05 s and was stopped');
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(container.spawned[0]!.killed).toBe(true);
    container.onSpawn = passingRunner;
    expect((await engine.run(REQUEST)).status).toBe('pass');
  });

  it('the watchdog counts silence, not the whole run: a slow run that keeps printing is not killed', async () => {
    const { engine, container } = setup({ watchdogMs: 60 });
    container.onSpawn = async (process) => {
      for (let i = 0; i < 4; i++) {
        await sleep(30);
        process.print(`${RESULT_MARK}${JSON.stringify(result(`t${i}`))}\n`);
      }
      passingRunner(process);
    };
    expect((await engine.run(REQUEST)).status).toBe('pass');
    expect(container.spawned[0]!.killed).toBe(false);
  });

  it('runs one at a time, in order', async () => {
    const { engine, container } = setup();
    const gate = deferred<void>();
    const order: string[] = [];
    container.onSpawn = async (process) => {
      const seed = JSON.parse(container.files.get('kata/request.json')!).seed as number;
      order.push(`start ${seed}`);
      if (seed === 1) await gate.promise;
      order.push(`end ${seed}`);
      process.print(`${REPORT_MARK}${JSON.stringify(report([result('a')], seed))}\n`);
      process.end(0);
    };
    const first = engine.run({ ...REQUEST, seed: 1 });
    const second = engine.run({ ...REQUEST, seed: 2 });
    await sleep(10);
    expect(order).toEqual(['start 1']);
    gate.resolve();
    expect((await first).seed).toBe(1);
    expect((await second).seed).toBe(2);
    expect(order).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('an internal WebContainer error fails the run in progress and every later run', async () => {
    const { engine, container } = setup();
    container.onSpawn = (_process, c) => c.fail('the WebContainer crashed');
    await expect(engine.run(REQUEST)).rejects.toThrow('WebContainer failed: the WebContainer crashed');
    expect(container.spawned[0]!.killed).toBe(true);
    container.onSpawn = passingRunner;
    await expect(engine.run(REQUEST)).rejects.toThrow('WebContainer failed: the WebContainer crashed');
  });

  it('refuses a file path that would leave the files folder', async () => {
    const { engine, container } = setup();
    container.onSpawn = passingRunner;
    await expect(engine.run({ ...REQUEST, files: { '../runner.mjs': 'evil' } })).rejects.toThrow('is not a relative path');
    await expect(engine.run({ ...REQUEST, files: { '/etc/app.ts': '' } })).rejects.toThrow('is not a relative path');
    expect(container.spawned).toHaveLength(0);
    expect(container.files.has('runner.mjs')).toBe(false);
  });

  it('a failed boot rejects the run with the boot error', async () => {
    const engine = new WebContainerEngine({
      boot: () => Promise.reject(new Error('WebContainer could not reach StackBlitz')),
      fetchRunner: async () => '',
    });
    await expect(engine.run(REQUEST)).rejects.toThrow('WebContainer could not reach StackBlitz');
  });

  it('dispose() tears the container down, stops a run in progress, and refuses later runs', async () => {
    const { engine, container } = setup();
    container.onSpawn = () => undefined;
    const running = engine.run(REQUEST);
    await sleep(10);
    engine.dispose();
    await expect(running).rejects.toThrow('the WebContainer engine was stopped');
    await sleep(0);
    expect(container.tornDown).toBe(true);
    expect(container.spawned[0]!.killed).toBe(true);
    await expect(engine.run(REQUEST)).rejects.toThrow('the WebContainer engine was stopped');
  });
});
