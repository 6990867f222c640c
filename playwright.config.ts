// End-to-end tests: build the site once, serve it with `astro preview`, drive a real Chromium.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './tests/e2e/browser.ts';

const PORT = Number(process.env.E2E_PORT ?? 4329);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  // Last resorts, not measures of speed: on a busy machine (a class's laptops, a shared CI runner at load 25 on two
  // cores) loading the editor or starting the workers took 30–60 s; a test that fails only for that is a broken test.
  // Speed is measured by `npm run bench`.
  timeout: 300_000,
  expect: { timeout: 120_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    launchOptions: { executablePath: findChromium(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    // The service worker keeps the whole built site (32 MB) after one visit: every fresh test context would download
    // it all in the background. Only the offline tests need it (offline.spec.ts allows it).
    serviceWorkers: 'block',
  },
  webServer: {
    command: `astro preview --port ${PORT}`,
    url: `http://localhost:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
