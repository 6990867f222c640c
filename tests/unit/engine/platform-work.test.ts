// Work the platform finishes in its own time (reading a body) keeps a process busy: the supervisor never takes it
// for idle and moves the clock to one of its timers meanwhile (the browser host did, for `await request.json()`).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { CookieKeepingResponse, toRequest, trackPlatformWork } from '../../../src/engine/process/http.ts';
import { dump, eventsOf, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());
afterEach(() => trackPlatformWork((work) => work));

describe('body reads are counted as platform work', () => {
  it('a request body read goes through the tracker, and gives the body', async () => {
    const seen: string[] = [];
    trackPlatformWork((work) => {
      seen.push('started');
      return work.finally(() => seen.push('done'));
    });
    const request = toRequest({ method: 'POST', url: 'http://app/', headers: [['content-type', 'application/json']], body: new TextEncoder().encode('{"a":1}') });
    expect(await request.json()).toEqual({ a: 1 });
    expect(seen).toEqual(['started', 'done']);
  });

  it('so is a response body read, by each reader', async () => {
    let count = 0;
    trackPlatformWork((work) => {
      count += 1;
      return work;
    });
    expect(await new CookieKeepingResponse('hi').text()).toBe('hi');
    expect(new Uint8Array(await new CookieKeepingResponse('hi').arrayBuffer())).toEqual(new TextEncoder().encode('hi'));
    expect(count).toBe(2);
  });
});

describe('a process reading a request body', () => {
  it('does not let the clock move to its pending timer while the read is under way', async () => {
    const app = `
    export default {
      start() { setInterval(() => console.log('tick at', Date.now() % 1e6), 60_000); },
      async fetch(request) {
        const body = await request.json();
        return Response.json({ got: body.n, at: Date.now() });
      },
    };`;
    let answer: unknown;
    let started = 0;
    const { result, events } = await runApp(host, app, async ({ cluster, client, clock }) => {
      await cluster.start({ web: 1 });
      started = clock.now();
      answer = (await client().post('/', { json: { n: 7 } })).json();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(answer).toEqual({ got: 7, at: started });
    expect(eventsOf(events, 'clock')).toEqual([]);
  });
});
