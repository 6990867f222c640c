// What a kata's test files import: `test(name, run)`, plus the types of the test API.
import type { TestContext, TestDefinition } from './types.ts';

export type * from './types.ts';

/** Declare one test of a kata. `run` gets the cluster, a client, the clock, the services and `expect`. */
export function test(name: string, run: (context: TestContext) => Promise<void>, options: { timeout?: number } = {}): TestDefinition {
  return { name, run, ...options };
}

export { workDone, type GenerationWork, type WorkDone } from './work.ts';
