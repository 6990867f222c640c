// The engine-choice policy: boot WebContainer once in the background, pick it when ready, fall back offline with a notice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EngineChooser, type ChooserSnapshot, type EngineChooserOptions } from '../../../src/engine/hosts/webcontainer/choose.ts';
import type { RunRequest } from '../../../src/engine/hosts/engine.ts';
import type { TestResult } from '../../../src/engine/testing/types.ts';
import { deferred, FakeEngine, report, result, type FakeBehaviour } from './fakes.ts';

const CHROME = {
  crossOriginIsolated: true,
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
};
const REQUEST: RunRequest = { slug: 'visit-counter', files: { 'app.ts': '' }, seed: 1, suite: 'hidden' };

function setup(behaviour: FakeBehaviour = {}, options: Partial<EngineChooserOptions> = {}) {
  const offline = new FakeEngine('offline', 'offline engine (Web Workers in this tab)');
  const made: FakeEngine[] = [];
  const chooser = new EngineChooser({
    offline,
    createWebContainer: () => {
      const engine = new FakeEngine('webcontainer', 'WebContainer (real Node.js processes)', behaviour);
      made.push(engine);
      return engine;
    },
    environment: CHROME,
    ...options,
  });
  const changes: ChooserSnapshot[] = [];
  chooser.onChange((snapshot) => changes.push(snapshot));
  return { chooser, offline, made, changes };
}

/** Lets the chooser's promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('EngineChooser', () => {
  it('starts offline-only, boots in the background, then picks WebContainer once ready', async () => {
    const boot = deferred<void>();
    const { chooser, made, changes } = setup({ ready: () => boot.promise });
    expect(chooser.state).toBe('offline-only');
    chooser.start();
    expect(chooser.state).toBe('booting');
    expect(chooser.pick().notice).toBe('Ran in the offline engine: WebContainer is still starting');
    expect(chooser.pick().engine.kind).toBe('offline');
    boot.resolve();
    await settle();
    expect(chooser.state).toBe('ready');
    const picked = chooser.pick();
    expect(picked.engine).toBe(made[0]);
    expect(picked.notice).toBe('Ran in WebContainer (real Node.js processes)');
    expect(changes.map((change) => change.state)).toEqual(['booting', 'ready']);
  });

  it('a boot that rejects leaves WebContainer unavailable with the reason, and runs go offline with a notice', async () => {
    const { chooser, offline, made } = setup({ ready: () => Promise.reject(new Error('Unable to reach stackblitz.com')) });
    chooser.start();
    await settle();
    expect(chooser.state).toBe('unavailable');
    expect(chooser.reason).toBe('it failed to start: Unable to reach stackblitz.com');
    expect(made[0]!.disposed).toBe(true);
    const outcome = await chooser.runWithFallback(REQUEST);
    expect(outcome.engine).toBe(offline);
    expect(outcome.notice).toBe('Ran in the offline engine: WebContainer is unavailable (it failed to start: Unable to reach stackblitz.com)');
    expect(offline.runs).toEqual([REQUEST]);
  });

  it('a boot that never ends leaves WebContainer unavailable after the default 20 s time-out', async () => {
    vi.useFakeTimers();
    const { chooser } = setup({ ready: () => new Promise<void>(() => undefined) });
    chooser.start();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(chooser.state).toBe('booting');
    await vi.advanceTimersByTimeAsync(1);
    expect(chooser.state).toBe('unavailable');
    expect(chooser.reason).toBe('it did not start within 20 s');
    expect(chooser.pick().notice).toBe('Ran in the offline engine: WebContainer is unavailable (it did not start within 20 s)');
  });

  it('a boot that ends after its time-out still makes WebContainer ready for later runs', async () => {
    const boot = deferred<void>();
    const { chooser, made } = setup({ ready: () => boot.promise }, { bootTimeoutMs: 5 });
    chooser.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chooser.state).toBe('unavailable');
    boot.resolve();
    await settle();
    expect(chooser.state).toBe('ready');
    expect(chooser.pick().engine).toBe(made[0]);
  });

  it('boots at most once, even when start() is called twice or the preference changes', async () => {
    const { chooser, made } = setup();
    chooser.start();
    chooser.start();
    chooser.preference = 'offline';
    chooser.preference = 'webcontainer';
    await settle();
    chooser.start();
    expect(made).toHaveLength(1);
    expect(made[0]!.readyCalls).toBe(1);
  });

  it('does not boot in a browser that cannot run WebContainer, and says why', async () => {
    const { chooser, made } = setup({}, { environment: { ...CHROME, crossOriginIsolated: false } });
    expect(chooser.state).toBe('unavailable');
    chooser.start();
    await settle();
    expect(made).toHaveLength(0);
    expect(chooser.pick().notice).toBe('Ran in the offline engine: WebContainer is unavailable (the page is not cross-origin isolated)');
  });

  it('without a WebContainer factory every run is offline, with a plain notice', async () => {
    const offline = new FakeEngine('offline', 'offline');
    const chooser = new EngineChooser({ offline, environment: CHROME });
    chooser.start();
    await settle();
    expect(chooser.state).toBe('offline-only');
    expect(chooser.pick()).toEqual({ engine: offline, notice: 'Ran in the offline engine' });
  });

  it("preference 'offline' always picks the offline engine, even when WebContainer is ready", async () => {
    const { chooser, offline, made } = setup();
    chooser.start();
    await settle();
    expect(chooser.state).toBe('ready');
    chooser.preference = 'offline';
    expect(chooser.pick()).toEqual({ engine: offline, notice: 'Ran in the offline engine: you chose it' });
    const outcome = await chooser.runWithFallback(REQUEST);
    expect(outcome.engine).toBe(offline);
    expect(made[0]!.runs).toEqual([]);
  });

  it("preference 'offline' from the start means WebContainer is not booted until the learner allows it", async () => {
    const { chooser, made } = setup({}, { preference: 'offline' });
    chooser.start();
    await settle();
    expect(made).toHaveLength(0);
    expect(chooser.state).toBe('offline-only');
    chooser.preference = 'auto';
    await settle();
    expect(made).toHaveLength(1);
    expect(chooser.state).toBe('ready');
  });

  it("preference 'webcontainer' waits for a boot in progress instead of going offline at once", async () => {
    const boot = deferred<void>();
    const { chooser, made, offline } = setup({ ready: () => boot.promise }, { preference: 'webcontainer' });
    chooser.start();
    const running = chooser.runWithFallback(REQUEST);
    await settle();
    boot.resolve();
    const outcome = await running;
    expect(outcome.engine).toBe(made[0]);
    expect(outcome.notice).toBe('Ran in WebContainer (real Node.js processes)');
    expect(offline.runs).toEqual([]);
  });

  it('runs on WebContainer when ready, passing results through', async () => {
    const { chooser, made } = setup({ run: async () => report([result('counted', 'fail', 'expected 3, got 1')]) });
    chooser.start();
    await settle();
    const seen: TestResult[] = [];
    const outcome = await chooser.runWithFallback(REQUEST, (r) => seen.push(r));
    expect(outcome.fellBack).toBe(false);
    expect(outcome.engine).toBe(made[0]);
    expect(outcome.report.status).toBe('fail');
    expect(seen.map((r) => r.name)).toEqual(['counted']);
  });

  it('runWithFallback reruns offline when the WebContainer run throws, says so, and stops using WebContainer', async () => {
    const { chooser, offline, made } = setup({ run: () => Promise.reject(new Error('the WebContainer run ended (exit code 1) without a report')) });
    chooser.start();
    await settle();
    const outcome = await chooser.runWithFallback(REQUEST);
    expect(outcome.fellBack).toBe(true);
    expect(outcome.engine).toBe(offline);
    expect(outcome.report.results[0]!.name).toBe('offline test');
    expect(outcome.notice).toBe('Ran in the offline engine: WebContainer failed (the WebContainer run ended (exit code 1) without a report), so the run was repeated offline');
    expect(offline.runs).toEqual([REQUEST]);
    expect(made[0]!.runs).toEqual([REQUEST]);
    expect(made[0]!.disposed).toBe(true);
    expect(chooser.state).toBe('unavailable');
    expect(chooser.reason).toContain('it failed during a run');
    await chooser.runWithFallback(REQUEST);
    expect(made[0]!.runs).toHaveLength(1);
  });

  it('dispose() stops the WebContainer engine it made, and one that finishes booting afterwards', async () => {
    const boot = deferred<void>();
    const { chooser, made } = setup({ ready: () => boot.promise });
    chooser.start();
    chooser.dispose();
    expect(made[0]!.disposed).toBe(true);
    boot.resolve();
    await settle();
    expect(chooser.state).not.toBe('ready');
  });
});
