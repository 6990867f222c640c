// The pool of warm isolates both hosts share: a spawn gets whichever isolate is ready first, never one still loading
// while another waits idle; a reset that never comes back is given up on; a script that cannot load is not retried forever.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IsolatePool } from '../../../src/engine/process/isolate-pool.ts';
import type { HostToIsolate, IsolateToHost } from '../../../src/engine/process/generations.ts';

/** A stand-in isolate: the test decides when it answers its reset, or fails. */
class FakeIsolate {
  static made = 0;
  readonly id = ++FakeIsolate.made;
  readonly posted: HostToIsolate[] = [];
  killed = false;
  #listeners = new Set<{ message(m: IsolateToHost): void; failed(): void }>();

  answerReset(): void {
    for (const listener of [...this.#listeners]) listener.message({ t: 'reset-done' });
  }
  say(message: IsolateToHost): void {
    for (const listener of [...this.#listeners]) listener.message(message);
  }
  fail(): void {
    for (const listener of [...this.#listeners]) listener.failed();
  }
  get listening(): number {
    return this.#listeners.size;
  }
  handle() {
    return {
      post: (message: HostToIsolate) => void this.posted.push(message),
      watch: (message: (m: IsolateToHost) => void, failed: () => void) => {
        const listener = { message, failed };
        this.#listeners.add(listener);
        return () => void this.#listeners.delete(listener);
      },
      kill: () => void (this.killed = true),
    };
  }
}

function pool(spares: number, keptBeyondSpares = 2) {
  const made: FakeIsolate[] = [];
  const isolates = new IsolatePool<FakeIsolate>({
    create: () => {
      const isolate = new FakeIsolate();
      made.push(isolate);
      return isolate;
    },
    handle: (isolate) => isolate.handle(),
    spares,
    keptBeyondSpares,
  });
  return { isolates, made };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('the pool of warm isolates', () => {
  it('sends every new spare a reset, and counts it ready only once it answers (its script has loaded)', async () => {
    const { isolates, made } = pool(2);
    isolates.warm();
    expect(made).toHaveLength(2);
    expect(made.every((isolate) => isolate.posted.some((message) => message.t === 'reset'))).toBe(true);
    let taken: FakeIsolate | undefined;
    void isolates.take().then((isolate) => (taken = isolate));
    await settle();
    expect(taken, 'no spare has loaded yet').toBeUndefined();
    made[1]!.answerReset();
    await settle();
    expect(taken, 'the second spare loaded first, so it is the one handed out').toBe(made[1]);
  });

  it('hands out a reset isolate before a spare that is still loading', async () => {
    const { isolates, made } = pool(1);
    isolates.warm();
    made[0]!.answerReset();
    const first = await isolates.take(); // made[0]; a new spare (made[1]) starts loading
    expect(first).toBe(made[0]);
    isolates.giveBack(first);
    first.say({ t: 'idle', seen: 1, timers: [] } as unknown as IsolateToHost); // what the old generation still said: ignored
    first.answerReset();
    const second = await isolates.take();
    expect(second, 'the reset isolate, not the spare still loading').toBe(made[0]);
    expect(isolates.stats).toEqual({ started: 2, reused: 1 });
  });

  it('keeps no more than the spares and the kept extra, ready or on their way, and ends the rest', async () => {
    const { isolates, made } = pool(1, 1);
    isolates.warm();
    const taken: FakeIsolate[] = [];
    for (let index = 0; index < 3; index++) {
      const next = isolates.take();
      made[index]!.answerReset();
      taken.push(await next);
    }
    expect(taken).toEqual(made.slice(0, 3)); // and made[3] is the spare on its way
    for (const isolate of taken) isolates.giveBack(isolate);
    expect(taken.map((isolate) => isolate.killed)).toEqual([false, true, true]);
  });

  it('gives up on a reused isolate that never answers its reset, and never waits on it alone', async () => {
    vi.useFakeTimers();
    const { isolates, made } = pool(1);
    isolates.warm();
    made[0]!.answerReset();
    const busy = await isolates.take();
    isolates.giveBack(busy); // still running its code: it does not answer
    made[1]!.answerReset(); // the spare made when busy was taken
    expect(await isolates.take(), 'the spare that answered is handed out first').toBe(made[1]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(busy.killed).toBe(true);
    expect(busy.listening).toBe(0);
  });

  it('does not remake a spare whose script fails to load: a waiting spawn makes its own, whose process reports why', async () => {
    const { isolates, made } = pool(1);
    isolates.warm();
    const taken = isolates.take();
    made[0]!.fail();
    const isolate = await taken;
    expect(made[0]!.killed).toBe(true);
    expect(isolate).toBe(made[1]);
    expect(isolate.posted, 'handed out as made, not waited for').toEqual([]);
  });

  it('ends what it holds when disposed, and a spawn still waiting gets a new isolate', async () => {
    const { isolates, made } = pool(2);
    isolates.warm();
    const waiting = isolates.take();
    const held = isolates.dispose();
    expect(held).toEqual(made.slice(0, 2));
    expect(made.slice(0, 2).every((isolate) => isolate.listening === 0)).toBe(true);
    expect(await waiting).toBe(made[2]);
  });
});
