// Unit tests and the Redis conformance suite: Playwright specs live in tests/e2e and run under `playwright test`.
import { defineConfig } from 'vitest/config';
import { TESTING_ENTRY, TESTING_MODULE } from './src/engine/kata/testing-module.ts';

export default defineConfig({
  // Kata tests import `dojo/testing`; katas written to a temp folder by a test are outside the package.
  resolve: { alias: { [TESTING_MODULE]: TESTING_ENTRY } },
  test: {
    // tests/conformance needs a redis-server (skips without one, fails without one in CI): see tests/conformance/.
    include: ['tests/unit/**/*.test.ts', 'tests/conformance/**/*.test.ts'],
    // A last resort, not a measure of speed: on a busy machine (a CI runner, a class's laptop) Postgres alone can
    // take 20 s to start. What is slow is measured by `npm run bench`.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
