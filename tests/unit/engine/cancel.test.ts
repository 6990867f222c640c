// Stopping a run: the test under way ends at once, no further test starts, and the chooser does not blame WebContainer.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { runTests } from '../../../src/engine/testing/runner.ts';
import { test } from '../../../src/engine/testing/index.ts';
import { EngineChooser } from '../../../src/engine/hosts/webcontainer/choose.ts';
import type { TestResult } from '../../../src/engine/testing/types.ts';
import { FakeEngine } from '../webcontainer/fakes.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

const APP = `export default { async fetch() { return new Response('ok'); } };`;
const options = { host, files: { 'app.ts': APP }, processes: { web: 'app.ts' }, seed: 1 };

describe('runTests with a signal', () => {
  it('starts no test after the signal is aborted', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const body = (name: string) => test(name, async ({ cluster }) => {
      started.push(name);
      await cluster.start({ web: 1 });
    });
    const report = await runTests({
      ...options, tests: [body('first'), body('second'), body('third')], signal: controller.signal,
      onResult: () => controller.abort(),
    });
    expect(started).toEqual(['first']);
    expect(report.results.map((result) => result.name)).toEqual(['first']);
  });

  it('ends a test that waits forever as soon as the signal is aborted, with its cluster shut down', async () => {
    const controller = new AbortController();
    const results: TestResult[] = [];
    const forever = test('waits forever', async ({ cluster }) => {
      await cluster.start({ web: 2 });
      controller.abort();
      await new Promise(() => undefined);
    });
    const report = await runTests({ ...options, tests: [forever], signal: controller.signal, onResult: (result) => results.push(result) });
    expect(report.results[0]).toMatchObject({ status: 'error', message: 'the run was stopped' });
    expect(results).toHaveLength(1);
  });
});

describe('EngineChooser, stopped runs', () => {
  const CHROME = { crossOriginIsolated: true, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0 Safari/537.36' };
  const REQUEST = { slug: 'visit-counter', files: { 'app.ts': '' }, seed: 1, suite: 'hidden' as const };

  it('a WebContainer run stopped by the caller is not a WebContainer failure: no fallback, it stays ready', async () => {
    const controller = new AbortController();
    const offline = new FakeEngine('offline', 'offline');
    const chooser = new EngineChooser({
      offline,
      createWebContainer: () => new FakeEngine('webcontainer', 'wc', {
        run: () => {
          controller.abort(new DOMException('replaced', 'AbortError'));
          return Promise.reject(controller.signal.reason);
        },
      }),
      environment: CHROME,
    });
    chooser.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(chooser.state).toBe('ready');
    await expect(chooser.runWithFallback(REQUEST, undefined, { signal: controller.signal })).rejects.toThrow('replaced');
    expect(chooser.state).toBe('ready');
    expect(offline.runs).toHaveLength(0);
  });

  it('a run asked for with a signal already aborted does not start', async () => {
    const offline = new FakeEngine('offline', 'offline');
    const chooser = new EngineChooser({ offline, environment: CHROME });
    await expect(chooser.runWithFallback(REQUEST, undefined, { signal: AbortSignal.abort() })).rejects.toThrow();
    expect(offline.runs).toHaveLength(0);
  });
});
