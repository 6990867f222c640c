// Date, Math, crypto and performance for learner code: time from the test's virtual clock and randomness from the
// process's seed, however they are reached (`Date()`, `globalThis.Date.now()`, `new Function('return Date.now()')()`).
import { hardenShared } from './lockdown.ts';
import type { PlatformWork } from '../http.ts';

/** Web Crypto's asynchronous methods: each settles in a task of its own (a thread pool in Node, the browser's too). */
const SUBTLE_METHODS = ['encrypt', 'decrypt', 'sign', 'verify', 'digest', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey'] as const;

export interface TamedGlobals {
  Date: DateConstructor;
  Math: Math;
  crypto: Crypto;
  performance: { now(): number; timeOrigin: number };
}

export function tamedGlobals(now: () => number, random: () => number, busyWith: PlatformWork = (work) => work): TamedGlobals {
  const RealDate = Date;
  // A function, not a class: `Date()` without `new` must give a string, as the real one does.
  const VirtualDate = function (this: unknown, ...args: unknown[]) {
    if (!new.target) return new RealDate(now()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  } as unknown as DateConstructor;
  Object.defineProperties(VirtualDate, {
    now: { value: () => now(), writable: true, configurable: true },
    parse: { value: RealDate.parse, writable: true, configurable: true },
    UTC: { value: RealDate.UTC, writable: true, configurable: true },
    prototype: { value: RealDate.prototype },
  });

  const seededMath = Object.create(Math, { random: { value: () => random(), enumerable: true } }) as Math;

  // Every call is platform work: while a hash is computed the process is busy, or the supervisor, seeing it idle
  // with a timer pending, would move the clock in the middle of its request (as it did for a PBKDF2 login).
  const real = globalThis.crypto.subtle;
  const subtle = hardenShared(Object.fromEntries(SUBTLE_METHODS.map((method) => [
    method,
    (...args: unknown[]) => busyWith((real[method] as (...a: unknown[]) => Promise<unknown>).apply(real, args)),
  ])) as unknown as SubtleCrypto);
  const crypto = {
    subtle,
    getRandomValues<T extends ArrayBufferView | null>(array: T): T {
      if (array) {
        if (array.byteLength > 65536) throw new RangeError(`getRandomValues: ${array.byteLength} bytes asked, at most 65536`);
        const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
        for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
      }
      return array;
    },
    randomUUID(): `${string}-${string}-${string}-${string}-${string}` {
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      bytes[6] = (bytes[6]! & 0x0f) | 0x40;
      bytes[8] = (bytes[8]! & 0x3f) | 0x80;
      const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    },
  } as unknown as Crypto;

  // Durations measured with performance.now() are virtual too: a run replays whatever the machine's speed.
  const performance = { now: () => now(), timeOrigin: 0 };
  return { Date: VirtualDate, Math: seededMath, crypto, performance };
}
