// `expect(actual, because)`: assertions whose failure message starts with the learner-facing reason.
import { AssertionFailure } from '../core/errors.ts';
import type { Assertion, Expect } from './types.ts';

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? `${value.slice(0, 119)}…` : value);
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 160 ? `${text.slice(0, 159)}…` : text;
  } catch {
    return String(value);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Map || b instanceof Map) {
    return a instanceof Map && b instanceof Map && a.size === b.size && [...a].every(([key, value]) => b.has(key) && deepEqual(value, b.get(key)));
  }
  if (a instanceof Set || b instanceof Set) {
    return a instanceof Set && b instanceof Set && a.size === b.size && [...a].every((value) => b.has(value));
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (typeof haystack === 'string') return haystack.includes(String(needle));
  if (Array.isArray(haystack)) return haystack.some((item) => deepEqual(item, needle));
  return false;
}

export const expect: Expect = <T>(actual: T, because?: string): Assertion<T> => {
  const build = (negated: boolean) => {
    const check = (passed: boolean, expectation: string) => {
      if (passed !== negated) return;
      const detail = `expected ${negated ? 'not ' : ''}${expectation}, got ${show(actual)}`;
      throw new AssertionFailure(because ? `${because} (${detail})` : detail);
    };
    return {
      toBe: (expected: T) => check(Object.is(actual, expected), show(expected)),
      toEqual: (expected: unknown) => check(deepEqual(actual, expected), show(expected)),
      toBeTruthy: () => check(Boolean(actual), 'a truthy value'),
      toBeFalsy: () => check(!actual, 'a falsy value'),
      toContain: (part: unknown) => check(contains(actual, part), `something containing ${show(part)}`),
      toMatch: (pattern: RegExp) => check(typeof actual === 'string' && pattern.test(actual), `a match for ${pattern}`),
      toBeGreaterThan: (n: number) => check(typeof actual === 'number' && actual > n, `more than ${n}`),
      toBeLessThan: (n: number) => check(typeof actual === 'number' && actual < n, `less than ${n}`),
      toBeOneOf: (values: readonly T[]) => check(values.some((value) => Object.is(value, actual)), `one of ${show(values)}`),
    };
  };
  return { ...build(false), not: build(true) };
};
