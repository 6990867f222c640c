// crypto.subtle settles in a task of its own, not a microtask: a request awaiting it is still the process's work.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

// Hashing a password with PBKDF2 (what a login does) while a 5 s interval is pending: if the process looked idle
// while the hash was computed, the supervisor would take it as waiting on its timer and move the clock mid-request.
const APP = `
export default {
  async start() { setInterval(() => {}, 5000); },
  async fetch(request) {
    const password = new TextEncoder().encode(await request.text());
    const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
    let bits = new ArrayBuffer(0);
    for (let round = 0; round < 5; round++) {
      bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 20000 }, key, 256);
    }
    const digest = await crypto.subtle.digest('SHA-256', bits);
    return new Response(String(new Uint8Array(digest)[0]));
  },
};`;

describe('crypto.subtle inside a request', () => {
  it('keeps the process busy: no timer fires and the clock stays put until the request is answered', async () => {
    let status = 0;
    const { result, events } = await runApp(host, APP, async (ctx) => {
      await ctx.cluster.start({ web: 1 });
      status = (await ctx.client().post('/', { body: 'correct horse battery staple' })).status;
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(status).toBe(200);
    const request = eventsOf(events, 'request')[0]!;
    const response = eventsOf(events, 'response')[0]!;
    expect(events.filter((event) => event.seq > request.seq && event.seq < response.seq).map((event) => event.kind)).toEqual([]);
    expect(response.at).toBe(request.at);
  });
});
