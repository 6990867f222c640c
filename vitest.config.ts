// Unit tests and the Redis conformance suite: Playwright specs live in tests/e2e and run under `playwright test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // tests/conformance needs a redis-server (skips without one, fails without one in CI): see tests/conformance/.
    include: ['tests/unit/**/*.test.ts', 'tests/conformance/**/*.test.ts'],
    // A last resort, not a measure of speed: on a busy machine (a CI runner, a class's laptop) Postgres alone can
    // take 20 s to start. What is slow is measured by `npm run bench`.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
