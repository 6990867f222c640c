// Visible tests of the chat-room kata: a message posted to one process reaches listeners connected to
// every process, and a listener whose process dies gets, when it reconnects, what was posted meanwhile.
// The hidden tests run these too, then move listeners between processes, deploy, post at once, and add chaos.
import { test, type Client, type EventStream } from 'dojo/testing';

/** Posts `text` to the room through the load balancer, as a browser would; answers the process that took it. */
export async function post(client: () => Client, text: string): Promise<string> {
  const res = await client().post('/messages', { json: { text }, retry: 3 });
  if (res.status !== 201) throw new Error(`POST /messages answered ${res.status} (${res.text()}), expected 201`);
  return res.servedBy;
}

/** Opens the room's live feed, as a browser's EventSource does (it reconnects by itself, with Last-Event-ID). */
export function listen(client: () => Client): Promise<EventStream> {
  return client().events('/stream');
}

export const BROKER =
  'Each process only has its own connections: a message must go through something every process shares (pub/sub in the store) to reach listeners connected elsewhere';

export const LOG =
  'A listener that reconnects may reach any process, possibly one that started after the message was posted: what it missed must come from a log every process shares (a stream in the store, or a table), read from the Last-Event-ID it sends';

export default [
  test('a message posted on one process reaches listeners connected to every process', async ({ cluster, client, clock, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const listeners = [await listen(client), await listen(client), await listen(client)];
    const postedOn = await post(client, 'hello');
    await post(client, 'is anyone here?');
    await post(client, 'yes!');
    await clock.advance(1000);
    for (const listener of listeners) {
      expect(listener.data(), `"hello" was posted on ${postedOn}; this listener is connected to ${listener.servedBy}. ${BROKER}`)
        .toEqual(['hello', 'is anyone here?', 'yes!']);
    }
  }),

  test('a listener whose process dies gets the messages posted while it was away', async ({ cluster, client, clock, expect }) => {
    await cluster.start({ web: 2 });
    const listener = await listen(client);
    await post(client, 'one');
    await clock.advance(1000);
    const first = listener.servedBy;
    await cluster.kill(first);
    await post(client, 'two');
    await post(client, 'three');
    await clock.advance(5000); // it reconnects after the stream's retry delay, sending Last-Event-ID
    await post(client, 'four');
    await clock.advance(1000);
    expect(listener.data(), `the listener was connected to ${first}, which was killed; "two" and "three" were posted while it was away, then it reconnected to ${listener.servedBy}. ${LOG}`)
      .toEqual(['one', 'two', 'three', 'four']);
  }),
];
