// Visible tests of the rate-limiter kata: 5 requests a minute per API key, whichever process
// answers, and a new minute lets a client in again. The hidden tests run these too, then check
// that each key has a limit of its own, that requests at the same moment are all counted, that
// restarts change nothing, that counters leave the store, and chaos.
import { test, type Client, type TracedResponse } from 'dojo/testing';

export const LIMIT = 5;
export const SECOND = 1000;

/** A client that sends `key` as its API key on every request. */
export function apiClient(client: () => Client, key: string) {
  const browser = client();
  return (path = '/quote') => browser.get(path, { headers: { 'x-api-key': key } });
}

/** "web.1: 200, web.2: 429, …" */
export const statuses = (responses: readonly TracedResponse[]) => responses.map((res) => `${res.servedBy}: ${res.status}`).join(', ');

export default [
  test('a client gets 5 requests a minute, whichever process answers', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // the requests go to web.1, web.2, web.3, web.1, …
    const get = apiClient(client, 'key-ada');
    const answers: TracedResponse[] = [];
    for (let i = 1; i <= LIMIT; i++) {
      const res = await get();
      answers.push(res);
      expect(res.status, `request ${i} of ${LIMIT} within a minute was answered by ${res.servedBy} with ${res.status}: ${res.text().slice(0, 80)}`).toBe(200);
    }
    const extra = await get();
    expect(
      extra.status,
      `the API key had already made ${LIMIT} requests this minute (${statuses(answers)}), and ${extra.servedBy} let request ${LIMIT + 1} through: ` +
        'each process counted only the requests it saw itself. A limit for the whole app needs one count that every process shares',
    ).toBe(429);
  }),

  test('a client that keeps retrying is let in again when its minute is up', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 3 });
    const get = apiClient(client, 'key-bob');
    for (let i = 1; i <= LIMIT; i++) await get();
    const limited = await get();
    expect(limited.status, `request ${LIMIT + 1} within a minute was answered by ${limited.servedBy} with ${limited.status}`).toBe(429);
    for (const at of [20, 40]) {
      await clock.advance(20 * SECOND);
      note(`${at} s after the first request, the client retries`);
      await get(); // refused or not, a retry must not push the end of the minute back
    }
    await clock.advance(20 * SECOND);
    note('60 s after the first request: a new minute');
    const later = await get();
    expect(
      later.status,
      `the client's first request was 60 s ago and it retried every 20 s since; ${later.servedBy} still answered ${later.status} (${later.text().slice(0, 80)}). ` +
        'The minute must end a minute after it began: a retry that restarts the expiry locks a client out for as long as it keeps trying',
    ).toBe(200);
  }),
];
