// Conformance: the same command sequences run on our store and on a real redis-server; every answer must agree.
//
// `npx vitest run tests/conformance` starts its own redis-server (from PATH, or $REDIS_SERVER) on a free loopback
// port, without persistence, in a temporary folder, and stops it at the end. Without one it skips, naming the
// install command; with CI=true it fails. Sequences live in sequences.ts, the judging in twin.ts, and what differs
// on purpose, with the reason, in differences.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIFFERENCES } from './differences.ts';
import { findRedisServer, INSTALL_HINT, startRedisServer, type RedisServer } from './redis-server.ts';
import type { RespClient } from './resp.ts';
import { SEQUENCES } from './sequences.ts';
import { FAILING, Twin, type Step } from './twin.ts';

const binary = findRedisServer();
const inCI = process.env.CI === 'true';

if (binary === null && !inCI) {
  console.warn(`tests/conformance skipped: redis-server is not installed (${INSTALL_HINT}, or set REDIS_SERVER)`);
  describe('our store agrees with Redis', () => {
    it.skip(`skipped: redis-server is not installed (${INSTALL_HINT}, or set REDIS_SERVER)`, () => {});
  });
} else {
  describe('our store agrees with Redis', () => {
    let server: RedisServer;
    let client: RespClient;
    const all: Step[] = [];

    beforeAll(async () => {
      // In CI a missing server is a broken machine, not a reason to skip.
      if (binary === null) throw new Error(`redis-server is not installed; CI must install it: ${INSTALL_HINT}`);
      server = await startRedisServer(binary);
      client = await server.connect();
    });

    afterAll(async () => {
      client?.close();
      await server?.stop();
      const counts = Object.groupBy(all, (step) => step.verdict);
      const summary = Object.entries(counts).map(([verdict, steps]) => `${verdict} ${steps!.length}`).join(', ');
      console.log(`redis ${server?.version}: ${SEQUENCES.length} sequences, ${all.length} answers compared (${summary})`);
    });

    for (const sequence of SEQUENCES) {
      it(sequence.name, async () => {
        await client.call('FLUSHALL');
        const twin = new Twin(client, () => server.connect());
        try {
          await sequence.run(twin);
        } finally {
          twin.close();
        }
        all.push(...twin.steps);
        const failures = twin.steps
          .filter((step) => FAILING.has(step.verdict))
          .map((step) => ({ call: step.call, verdict: step.verdict, ours: step.ours, redis: step.redis, note: step.note }));
        expect(failures).toEqual([]);
      });
    }

    it('every difference a sequence can show is shown by one, and documented in full', () => {
      for (const [id, difference] of Object.entries(DIFFERENCES)) {
        expect(difference.what, id).not.toBe('');
        expect(difference.why, id).not.toBe('');
        expect(difference.suite, id).not.toBe('');
        if (difference.observable) {
          expect(all.some((step) => step.verdict === 'documented' && step.note?.endsWith(id)), id).toBe(true);
        }
      }
    });
  });
}
