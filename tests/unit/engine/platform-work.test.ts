// A process reading a body (work the platform finishes in a task of its own) is busy: the clock does not move then.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

// A response body the platform produces in its own time (crypto.subtle settles outside the microtask queue), from a
// process that has an interval pending: the case where a browser reads request and response bodies.
const APP = `
export default {
  async start() { setInterval(() => {}, 5000); },
  async fetch(request) {
    const data = new Uint8Array(await request.arrayBuffer());
    const body = new ReadableStream({
      async pull(controller) {
        controller.enqueue(new Uint8Array(await crypto.subtle.digest('SHA-256', data)));
        controller.close();
      },
    });
    return new Response(body);
  },
};`;

describe('platform work inside a request', () => {
  it('a response body still being produced keeps the process busy: no timer fires and the clock stays put until it is answered', async () => {
    let status = 0;
    const { result, events } = await runApp(host, APP, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      status = (await ctx.client().post('/', { body: new Uint8Array(20_000) })).status;
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(status).toBe(200);
    const request = eventsOf(events, 'request')[0]!;
    const response = eventsOf(events, 'response')[0]!;
    expect(events.filter((event) => event.seq > request.seq && event.seq < response.seq).map((event) => event.kind)).toEqual([]);
    expect(response.at).toBe(request.at);
  });
});
