// A process turning its answer into bytes is still busy: the clock must not move to its next timer meanwhile.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

// A Blob body is read in a task of its own (as every body is in a browser), after the process's idle check.
const APP = `
export default {
  start() { setInterval(() => console.log('daily job'), 86_400_000); },
  fetch: () => new Response(new Blob(['signed up']), { status: 201 }),
};`;

describe('an answer on its way', () => {
  it('a request answered with a body read in a later task leaves the clock where it was, even with a timer pending', async () => {
    let now = 0;
    const { result, events } = await runApp(host, APP, async ({ cluster, client, clock }) => {
      await cluster.start({ web: 1 });
      const res = await client().post('/signup');
      if (res.status !== 201 || res.text() !== 'signed up') throw new Error(`answered ${res.status}: ${res.text()}`);
      now = clock.now();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(eventsOf(events, 'clock').filter((event) => event.waitedFor)).toEqual([]);
    expect(eventsOf(events, 'log').map((event) => event.text)).not.toContain('daily job');
    expect(now).toBe(Date.UTC(2026, 0, 1));
  });
});
