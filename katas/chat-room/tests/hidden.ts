// Hidden tests of the chat-room kata: the visible tests, then a listener moved from process to process
// by restarts and a deploy, a feed reopened after a deploy with the last id it saw, messages posted at
// the same moment on different processes, and processes killed and restarted at random while people talk.
import { test, type EventStream } from 'dojo/testing';
import samples, { BROKER, listen, LOG, post } from './sample.ts';

const ONCE_IN_ORDER =
  'An event id must name a place in a log every process shares (the stream entry\'s id, or a row\'s serial id), and a listener is owed exactly what comes after it: ' +
  'an id counted by one process, or messages sent in another order than the log\'s, makes a reconnect resume at the wrong place';

/** Where each message went wrong for a listener that should have got `expected`, in words. */
function differences(got: string[], expected: string[]): string {
  const twice = [...new Set(got.filter((text, i) => got.indexOf(text) !== i))];
  const missing = expected.filter((text) => !got.includes(text));
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${missing.map((t) => `"${t}"`).join(', ')}`);
  if (twice.length > 0) parts.push(`got ${twice.map((t) => `"${t}"`).join(', ')} twice`);
  if (parts.length === 0 && got.join('\n') !== expected.join('\n')) parts.push('every message once, in another order');
  return parts.join('; ');
}

export default [
  ...samples,

  test('a listener moved from process to process by a deploy and a kill gets every message once, in order', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const listener = await listen(client);
    const path = [listener.servedBy];
    await post(client, 'a');
    await post(client, 'b');
    await clock.advance(1000);
    await cluster.deploy();
    note('a new release was deployed: every process restarted, and the listener reconnected');
    await clock.advance(2000);
    path.push(listener.servedBy);
    await post(client, 'c');
    await post(client, 'd');
    await clock.advance(1000);
    await cluster.kill(listener.servedBy);
    await post(client, 'e');
    await clock.advance(2000);
    path.push(listener.servedBy);
    await post(client, 'f');
    await clock.advance(1000);
    const expected = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(listener.data(), `The listener was connected to ${path.join(', then ')} (a deploy, then a kill, made it reconnect): ${differences(listener.data(), expected)}. ${ONCE_IN_ORDER}`)
      .toEqual(expected);
  }),

  test('a listener whose connection drops before its first message gets everything posted since it connected', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 2 });
    const listener = await listen(client);
    const first = listener.servedBy;
    await cluster.kill(first);
    note(`${first} was killed before any message was posted: the listener had not received a single event yet`);
    await post(client, 'first!');
    await clock.advance(5000);
    await post(client, 'second');
    await clock.advance(1000);
    const expected = ['first!', 'second'];
    expect(listener.data(), `The listener connected to ${first}, which was killed before any message; "first!" was posted while it reconnected, to ${listener.servedBy}, with Last-Event-ID "${listener.events[0]?.id ?? ''}": ${differences(listener.data(), expected)}. A browser only sends the last id it was given: give a new listener its place in the log as soon as it connects (an event with an id and no data), or it comes back as a stranger`)
      .toEqual(expected);
  }),

  test('a feed reopened after a deploy with the last id it saw gets what was posted while it was closed', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 2 });
    const phone = await client().events('/stream', { reconnect: false });
    await post(client, 'lunch at 12?');
    await clock.advance(1000);
    await phone.close();
    note('the phone closed the feed (the app went to the background), keeping the id of the last message it got');
    await post(client, 'make it 12:30');
    await post(client, 'ok');
    await cluster.deploy();
    note('a new release was deployed while the phone was away: no process that heard those messages is left');
    const reopened = await client().events('/stream', { lastEventId: phone.lastEventId });
    await clock.advance(1000);
    await post(client, 'see you there');
    await clock.advance(1000);
    const expected = ['make it 12:30', 'ok', 'see you there'];
    expect(reopened.data(), `The phone reopened the feed on ${reopened.servedBy} with Last-Event-ID "${phone.lastEventId}" after a deploy: ${differences(reopened.data(), expected)}. ${LOG}; a process's memory is gone with the process`)
      .toEqual(expected);
  }),

  test('messages posted at the same moment on different processes reach every listener once, in one order, across reconnects', async ({ cluster, client, clock, expect, note }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const listeners: EventStream[] = [await listen(client), await listen(client), await listen(client)];
    cluster.balance('random');
    const first = ['1', '2', '3', '4', '5', '6'];
    await Promise.all(first.map((text) => post(client, text)));
    note('six messages were posted at the same moment, through the balancer, to all three processes');
    await clock.advance(1000);
    const order = listeners[0]!.data();
    for (const listener of listeners) {
      expect(listener.data(), `Listeners on different processes saw the messages posted at once in different orders (the one on ${listeners[0]!.servedBy} saw ${JSON.stringify(order)}, the one on ${listener.servedBy} saw ${JSON.stringify(listener.data())}): the log's order is the room's order, and every process must send in that order`)
        .toEqual(order);
    }
    await cluster.restartAll();
    note('every process restarted: every listener reconnected with the id of the last message it got');
    await clock.advance(2000);
    await post(client, '7');
    await clock.advance(1000);
    for (const listener of listeners) {
      const got = listener.data();
      expect([...got].sort(), `The listener now on ${listener.servedBy}, after a reconnect, got ${JSON.stringify(got)}: ${differences([...got].sort(), [...first, '7'])}. ${ONCE_IN_ORDER}`)
        .toEqual([...first, '7']);
      expect(got, `The listener on ${listener.servedBy} got ${JSON.stringify(got)}: every listener must see the room in one order, across reconnects`).toEqual([...order, '7']);
    }
  }),

  test('with processes killed and restarted at random, every listener gets every message once, in order', async ({ cluster, client, clock, expect }) => {
    await cluster.start({ web: 3 });
    const listeners: EventStream[] = [];
    for (let i = 0; i < 4; i++) listeners.push(await listen(client));
    cluster.chaos({ restart: 0.35, kill: true });
    const expected: string[] = [];
    for (let i = 1; i <= 12; i++) {
      expected.push(`message ${i}`);
      await post(client, `message ${i}`);
      await clock.advance(700);
    }
    cluster.chaos(null);
    await clock.advance(5000);
    expected.push('the end');
    await post(client, 'the end');
    await clock.advance(1000);
    for (const listener of listeners) {
      expect(listener.data(), `Processes were killed at random while people talked; this listener connected ${listener.connections} times, last to ${listener.servedBy}: ${differences(listener.data(), expected)}. ${BROKER}. ${LOG}`)
        .toEqual(expected);
    }
  }),
];
