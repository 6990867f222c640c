// When the page lets the offline copy of the site download: after load, at an idle moment, never during a run.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isBusy, markBusy, onBusyChange, whenQuiet, type BusyHost } from '../../../src/offline/quiet.ts';

/** A stand-in for <html>: attributes and events, nothing else. */
class FakeRoot extends EventTarget implements BusyHost {
  readonly attributes = new Map<string, string>();
  getAttribute(name: string) { return this.attributes.get(name) ?? null; }
  setAttribute(name: string, value: string) { this.attributes.set(name, value); }
  removeAttribute(name: string) { this.attributes.delete(name); }
}

/** A promise the test settles by hand, and whether it has been asked for. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open, asked: 0, wait() { this.asked += 1; return promise; } };
}

/** Whether `promise` has settled, once every pending callback has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('the busy mark', () => {
  it('counts overlapping work, and each end counts once however often it is called', () => {
    const root = new FakeRoot();
    const heard: boolean[] = [];
    onBusyChange((busy) => heard.push(busy), root);
    const run = markBusy(root);
    const editor = markBusy(root);
    run();
    run();
    expect(isBusy(root)).toBe(true);
    editor();
    expect(isBusy(root)).toBe(false);
    expect(heard).toEqual([true, false]);
  });
});

describe('whenQuiet', () => {
  it('waits for the page to load, then for an idle moment', async () => {
    const root = new FakeRoot();
    const loaded = gate();
    const idle = gate();
    const quiet = whenQuiet({ host: root, loaded: () => loaded.wait(), idle: () => idle.wait() });
    expect(await settled(quiet)).toBe(false);
    expect(idle.asked).toBe(0);
    loaded.open();
    expect(await settled(quiet)).toBe(false);
    idle.open();
    expect(await settled(quiet)).toBe(true);
  });

  it('waits while a run is under way, and for the settle time after it, before asking for an idle moment', async () => {
    const root = new FakeRoot();
    const endRun = markBusy(root);
    const idle = gate();
    const quiet = whenQuiet({ host: root, settleMs: 2000, loaded: async () => {}, idle: () => idle.wait() });
    idle.open();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await settled(quiet)).toBe(false);
    endRun();
    await vi.advanceTimersByTimeAsync(1999);
    expect(idle.asked).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(quiet)).toBe(true);
  });

  it('starts the settle time again when the learner reruns within it', async () => {
    const root = new FakeRoot();
    markBusy(root)();
    const quiet = whenQuiet({ host: root, settleMs: 2000, loaded: async () => {}, idle: async () => {} });
    expect(await settled(quiet)).toBe(true); // nothing busy when it started: no settle time

    const first = markBusy(root);
    const later = whenQuiet({ host: root, settleMs: 2000, loaded: async () => {}, idle: async () => {} });
    await vi.advanceTimersByTimeAsync(0);
    first();
    await vi.advanceTimersByTimeAsync(1500);
    const rerun = markBusy(root);
    await vi.advanceTimersByTimeAsync(1500);
    rerun();
    await vi.advanceTimersByTimeAsync(1500);
    expect(await settled(later)).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(await settled(later)).toBe(true);
  });

  it('does not count an idle moment during which a run started', async () => {
    const root = new FakeRoot();
    const idle = gate();
    const quiet = whenQuiet({ host: root, settleMs: 2000, loaded: async () => {}, idle: () => idle.wait() });
    await vi.advanceTimersByTimeAsync(0);
    const endRun = markBusy(root);
    idle.open();
    expect(await settled(quiet)).toBe(false);
    endRun();
    await vi.advanceTimersByTimeAsync(2000);
    expect(await settled(quiet)).toBe(true);
  });
});
