// Platform work a request waits on (reading a body, Web Crypto) keeps the process busy: the clock does not move then.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import { toRequest, type PlatformWork } from '../../../src/engine/process/http.ts';
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

// Hashing a password with PBKDF2 (what a login does): crypto.subtle settles in a task of its own too, so while the
// hash is computed the process must not look idle and let the clock jump to its interval.
const PBKDF2_APP = `
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

/** Sends one request to `app` and checks that nothing happened between it and its answer, in the trace and on the clock. */
async function expectNothingDuring(app: string, body: string | Uint8Array): Promise<void> {
  let status = 0;
  const { result, events } = await runApp(host, app, async (ctx) => {
    await ctx.cluster.start({ web: 1 });
    status = (await ctx.client().post('/', { body })).status;
  });
  expect(result.status, dump(result)).toBe('pass');
  expect(status).toBe(200);
  const request = eventsOf(events, 'request')[0]!;
  const response = eventsOf(events, 'response')[0]!;
  expect(events.filter((event) => event.seq > request.seq && event.seq < response.seq).map((event) => event.kind)).toEqual([]);
  expect(response.at).toBe(request.at);
}

describe('platform work inside a request', () => {
  it('a response body still being produced keeps the process busy: no timer fires and the clock stays put until it is answered', async () => {
    await expectNothingDuring(APP, new Uint8Array(20_000));
  });

  it('crypto.subtle keeps the process busy: no timer fires and the clock stays put while a password is hashed', async () => {
    await expectNothingDuring(PBKDF2_APP, 'correct horse battery staple');
  });
});

describe('what counts as platform work', () => {
  it('reading an uploaded file from a form is platform work, as reading the form itself is', async () => {
    const form = new FormData();
    form.append('avatar', new File([new Uint8Array([1, 2, 3])], 'me.png', { type: 'image/png' }));
    form.append('caption', 'hello');
    const sent = new Request('http://app.test/avatar', { method: 'POST', body: form });
    const waitedOn: unknown[] = [];
    const busy: PlatformWork = (work) => {
      waitedOn.push(work);
      return work;
    };
    const request = toRequest({
      method: 'POST', url: sent.url, headers: [['content-type', sent.headers.get('content-type')!]], body: new Uint8Array(await sent.arrayBuffer()),
    }, busy);
    const received = await request.formData();
    expect(waitedOn).toHaveLength(1);
    const file = received.get('avatar') as File;
    expect([file.name, file.type, received.get('caption')]).toEqual(['me.png', 'image/png', 'hello']);
    expect(file).toBeInstanceOf(File);
    expect([...new Uint8Array(await file.arrayBuffer())]).toEqual([1, 2, 3]);
    expect(await file.text()).toBe('\u0001\u0002\u0003');
    expect(waitedOn, 'the form, then each read of its file').toHaveLength(3);
  });
});
