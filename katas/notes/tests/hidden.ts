// Hidden tests of the notes kata: the visible tests, then ids that are distinct whichever process
// hands them out and however many notes arrive at once, ids never reused, deletes seen by every
// process, the order notes were written in, and processes killed at random.
import { test } from 'dojo/testing';
import samples, { bodyOf, listed, write, type Note } from './sample.ts';

export default [
  ...samples,

  test('every note gets an id of its own, whichever process saves it', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    const saved = [];
    for (const text of ['one', 'two', 'three', 'four', 'five', 'six']) saved.push(await write(browser, expect, text));
    const owners = new Map<string, string>();
    for (const { note, res } of saved) {
      const earlier = owners.get(String(note.id));
      expect(
        earlier,
        `${res.servedBy} gave "${note.text}" the id ${note.id}, which ${earlier} had already given to another note: each process counted ids on its own`,
      ).toBe(undefined);
      owners.set(String(note.id), `${res.servedBy}`);
    }
    for (const { note, res } of saved) {
      const read = await browser.get(`/notes/${note.id}`);
      expect(bodyOf(read)?.text, `"${note.text}" was saved on ${res.servedBy} as note ${note.id}; ${read.servedBy} answered GET /notes/${note.id} with ${read.text().slice(0, 80)}`).toBe(note.text);
    }
    const { texts, res } = await listed(browser);
    expect(texts, `six notes were written one after the other, on web.1, web.2 and web.3 in turn; ${res.servedBy} listed them (oldest first)`).toEqual(['one', 'two', 'three', 'four', 'five', 'six']);
  }),

  test('notes written at the same moment are all kept, each with an id of its own', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    const browsers = [client(), client(), client()];
    const texts = Array.from({ length: 12 }, (_, i) => `note ${i + 1}`);
    // Twelve notes from three people, all in flight together, on every process.
    const answers = await Promise.all(texts.map((text, i) => browsers[i % 3]!.post('/notes', { json: { text } })));
    const failed = answers.filter((res) => res.status !== 201);
    expect(failed.length, `12 notes were written at the same moment; ${failed.map((res) => `${res.servedBy} answered ${res.status} (${res.text().slice(0, 60)})`).join('; ')}`).toBe(0);
    const ids = answers.map((res) => String(bodyOf(res)?.id));
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(
      repeated,
      `12 notes were written at the same moment and the same id was handed out more than once (ids: ${ids.join(', ')}). ` +
        'Reading the highest id and adding one is two steps another request slips between: let the database hand out ids',
    ).toEqual([]);
    const { texts: kept, res } = await listed(client());
    expect([...kept].sort(), `12 notes were written at the same moment; ${res.servedBy} listed ${kept.length}`).toEqual([...texts].sort());
  }),

  test('a new note never takes the id of an existing one', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const a = await write(browser, expect, 'first');
    const b = await write(browser, expect, 'second');
    const c = await write(browser, expect, 'third');
    const removed = await browser.delete(`/notes/${b.note.id}`);
    expect(removed.status, `${removed.servedBy} answered DELETE /notes/${b.note.id} with ${removed.status}: ${removed.text().slice(0, 80)}`).toBe(204);
    await cluster.restartAll();
    note('every process restarted');
    const d = await write(browser, expect, 'fourth');
    const taken = [a, c].find((old) => String(old.note.id) === String(d.note.id));
    expect(
      taken?.note.text,
      `${d.res.servedBy} gave the new note "fourth" the id ${d.note.id}, which "${taken?.note.text}" already has: an id counted from the number of notes, or from zero after a restart, comes round again`,
    ).toBe(undefined);
    const { texts, res } = await listed(browser);
    expect(texts, `notes "first", "second" (deleted), "third" and, after every process restarted, "fourth"; ${res.servedBy} listed them`).toEqual(['first', 'third', 'fourth']);
  }),

  test('a deleted note is gone for every process', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin');
    const browser = client();
    const { note } = await write(browser, expect, 'old idea');
    for (let i = 1; i <= 3; i++) await browser.get(`/notes/${note.id}`); // every process has read it
    await write(browser, expect, 'new idea');
    const removed = await browser.delete(`/notes/${note.id}`);
    expect(removed.status, `${removed.servedBy} answered DELETE /notes/${note.id} with ${removed.status}: ${removed.text().slice(0, 80)}`).toBe(204);
    for (let i = 1; i <= 3; i++) {
      const res = await browser.get(`/notes/${note.id}`);
      expect(
        res.status,
        `note ${note.id} was deleted on ${removed.servedBy}; ${res.servedBy} still answered GET /notes/${note.id} with ${res.status} (${res.text().slice(0, 60)}): a copy kept in a process's memory outlived the note`,
      ).toBe(404);
      const { texts, res: list } = await listed(browser);
      expect(texts, `note ${note.id} was deleted on ${removed.servedBy}; ${list.servedBy} answered GET /notes`).toEqual(['new idea']);
    }
  }),

  test('notes survive processes being killed at random', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    // Before each request, a seeded 50% chance that a process is killed (no shutdown hook) and started again.
    cluster.chaos({ restart: 0.5, kill: true });
    const browser = client();
    const written: Note[] = [];
    for (const text of ['alpha', 'beta', 'gamma', 'delta']) written.push((await write(browser, expect, text)).note);
    for (const note of written) {
      const res = await browser.get(`/notes/${note.id}`);
      expect(bodyOf(res)?.text, `note ${note.id} ("${note.text}") was written while processes were being killed; ${res.servedBy} (generation ${res.generation}) answered ${res.status}`).toBe(note.text);
    }
    const { texts, res } = await listed(browser);
    expect(texts, `${res.servedBy} listed the notes written while processes were being killed`).toEqual(['alpha', 'beta', 'gamma', 'delta']);
  }),
];
