// A benchmark scenario, the same on every host: requests per second through the balancer to three processes.
import { test } from './index.ts';
import type { TestDefinition } from './types.ts';

export interface Throughput {
  requests: number;
  ms: number;
  perSecond: number;
}

/** Sends `requests` sequential GET / through the balancer; `report` gets the figures (the app's answers do not matter). */
export function throughputTest(requests: number, report: (figures: Throughput) => void): TestDefinition {
  return test('throughput', async ({ cluster, client }) => {
    await cluster.start({ web: 3 });
    const browser = client();
    await browser.get('/'); // first request per run pays for lazy set-up; leave it out
    const started = performance.now();
    for (let i = 0; i < requests; i++) await browser.get('/');
    const ms = performance.now() - started;
    report({ requests, ms, perSecond: Math.round((requests / ms) * 1000) });
  }, { timeout: 60_000 });
}
