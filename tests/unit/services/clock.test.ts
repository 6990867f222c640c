// Unit tests of the virtual clock that drives expiry and timestamps.
import { describe, it, expect } from 'vitest';
import { VirtualClock } from '../../../src/engine/core/clock.ts';

describe('VirtualClock', () => {
  it('starts at 2026-01-01 UTC by default', () => {
    expect(new VirtualClock().now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('starts where told', () => {
    expect(new VirtualClock(1234).now()).toBe(1234);
  });

  it('does not move by itself', async () => {
    const clock = new VirtualClock();
    const before = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(clock.now()).toBe(before);
  });

  it('advances by the given milliseconds, cumulatively', () => {
    const clock = new VirtualClock(0);
    clock.advance(1500);
    clock.advance(500);
    expect(clock.now()).toBe(2000);
  });

  it('sets an absolute time, even backwards', () => {
    const clock = new VirtualClock(10_000);
    clock.set(42);
    expect(clock.now()).toBe(42);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s with a RangeError that names the value', (bad) => {
    const clock = new VirtualClock(0);
    expect(() => clock.advance(bad)).toThrow(RangeError);
    expect(() => clock.set(bad)).toThrow(/finite number of milliseconds >= 0/);
    expect(() => new VirtualClock(bad)).toThrow(String(bad));
    expect(clock.now()).toBe(0);
  });
});
