// The service worker's download of the site waits while a page runs tests, and never for good.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pauses } from '../../../src/offline/pauses.ts';

async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('pauses of the offline download', () => {
  it('lets the download go on at once when no page holds it', async () => {
    expect(await settled(new Pauses().unpaused())).toBe(true);
  });

  it('holds the download until every page that paused it resumes', async () => {
    const pauses = new Pauses(60_000);
    pauses.pause('tab 1');
    pauses.pause('tab 2');
    const waiting = pauses.unpaused();
    pauses.resume('tab 1');
    expect(await settled(waiting)).toBe(false);
    pauses.resume('tab 2');
    expect(await settled(waiting)).toBe(true);
  });

  it('stops the downloads under way when a pause begins, and only then', () => {
    const pauses = new Pauses();
    const before = pauses.signal;
    pauses.pause('tab 1');
    expect(before.aborted).toBe(true);
    const during = pauses.signal;
    expect(during.aborted).toBe(false);
    pauses.pause('tab 2'); // already paused: nothing new to stop
    pauses.pause('tab 1');
    expect(during.aborted).toBe(false);
  });

  it('lets a pause lapse when its page never resumes (closed mid-run), unless the page renews it', async () => {
    const pauses = new Pauses(60_000);
    pauses.pause('closed tab');
    pauses.pause('busy tab');
    const waiting = pauses.unpaused();
    await vi.advanceTimersByTimeAsync(40_000);
    pauses.pause('busy tab'); // renewed: holds another minute
    await vi.advanceTimersByTimeAsync(30_000);
    expect(pauses.paused).toBe(true);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await settled(waiting)).toBe(true);
  });
});
