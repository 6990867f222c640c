// The trace keeps what a learner needs to see a step in full: request and response bodies, and stored values unclipped.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { bodyText, MAX_VALUE_CHARS } from '../../../src/engine/core/trace.ts';
import { eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

const ECHO = `
export default {
  async fetch(request: Request, env: any): Promise<Response> {
    const text = await request.text();
    await env.kv.set('last', text);
    return Response.json({ got: text });
  },
};
`;

describe('bodies and stored values in the trace', () => {
  it('a request body and the response body are recorded as text', async () => {
    const { result, events } = await runApp(host, ECHO, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      await client().post('/', { body: 'hello' });
    });
    expect(result.status).toBe('pass');
    expect(eventsOf(events, 'request')[0]?.body).toBe('hello');
    expect(eventsOf(events, 'response')[0]?.body).toBe('{"got":"hello"}');
  });

  it('a stored value longer than the one-line summary is kept in full beside it', async () => {
    const long = 'x'.repeat(300);
    const { events } = await runApp(host, ECHO, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      await client().post('/', { body: long });
    });
    const set = eventsOf(events, 'call').find((call) => call.method === 'set')!;
    expect(set.args.length).toBeLessThan(100);
    expect(set.full?.args).toBe(JSON.stringify(['last', long]));
  });

  it('a short call has no separate full copy', async () => {
    const { events } = await runApp(host, ECHO, async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      await client().post('/', { body: 'hi' });
    });
    expect(eventsOf(events, 'call')[0]?.full).toBeUndefined();
  });

  it('a body that is not text is named by its size, and an empty body is left out', () => {
    expect(bodyText(new Uint8Array([0xff, 0xfe, 0x00, 0x01]))).toBe('<4 bytes>');
    expect(bodyText(new Uint8Array([0x01, 0x02]))).toBe('<2 bytes>');
    expect(bodyText(new Uint8Array())).toBeUndefined();
    expect(bodyText(null)).toBeUndefined();
    expect(bodyText(new TextEncoder().encode('y'.repeat(MAX_VALUE_CHARS + 10)))?.length).toBe(MAX_VALUE_CHARS);
  });
});
