// Visible tests of the notes kata: a note written on one process is read on every process, and
// notes survive restarts and deploys. The hidden tests run these too, then check ids (distinct,
// whichever process or however many at once, never reused), deletes, order, and chaos.
import { test, type Client, type Expect, type TracedResponse } from 'dojo/testing';

export type Note = { id: number | string; text: string };

/** The body of a response as JSON, or null when it isn't JSON. */
export function bodyOf(res: TracedResponse): any {
  try {
    return res.json();
  } catch {
    return null;
  }
}

/** Writes a note and checks the answer: 201 with the note, its id and its text. */
export async function write(browser: Client, expect: Expect, text: string): Promise<{ note: Note; res: TracedResponse }> {
  const res = await browser.post('/notes', { json: { text } });
  expect(res.status, `${res.servedBy} answered POST /notes with ${res.status}: ${res.text().slice(0, 100)}`).toBe(201);
  const note = bodyOf(res);
  expect(note?.text, `${res.servedBy} answered POST /notes with ${res.text().slice(0, 100)}; the note's text should come back`).toBe(text);
  expect(note?.id !== undefined && note?.id !== null, `${res.servedBy} answered POST /notes without an id: ${res.text().slice(0, 100)}`).toBe(true);
  return { note, res };
}

/** The texts of GET /notes, in the order given. */
export async function listed(browser: Client): Promise<{ texts: string[]; res: TracedResponse }> {
  const res = await browser.get('/notes');
  const notes: Note[] = bodyOf(res)?.notes ?? [];
  return { texts: notes.map((note) => note.text), res };
}

export default [
  test('a note saved on one process is found on every process', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // web.1 saves it; web.2, web.3 and web.1 are asked for it
    const browser = client();
    const { note, res: saved } = await write(browser, expect, 'buy oat milk');
    for (let i = 1; i <= 3; i++) {
      const res = await browser.get(`/notes/${note.id}`);
      expect(res.status, `note ${note.id} was saved on ${saved.servedBy}; ${res.servedBy} answered GET /notes/${note.id} with ${res.status}: ${res.text().slice(0, 80)}`).toBe(200);
      expect(bodyOf(res)?.text, `${res.servedBy} answered GET /notes/${note.id}, saved on ${saved.servedBy}`).toBe('buy oat milk');
    }
    const { texts, res } = await listed(browser);
    expect(texts, `note ${note.id} was saved on ${saved.servedBy}; ${res.servedBy} answered GET /notes`).toEqual(['buy oat milk']);
  }),

  test('notes survive a restart of every process and a deploy', async ({ cluster, client, expect, note }) => {
    await cluster.start({ web: 2 });
    const browser = client();
    const first = await write(browser, expect, 'call the plumber');
    await cluster.restartAll();
    note('every process restarted');
    const second = await write(browser, expect, 'water the plants');
    await cluster.deploy();
    note('a new release was deployed');
    const { texts, res } = await listed(browser);
    expect(
      texts,
      `"call the plumber" was saved on ${first.res.servedBy} before every process restarted, "water the plants" on ${second.res.servedBy} before a deploy; then ${res.servedBy} answered GET /notes`,
    ).toEqual(['call the plumber', 'water the plants']);
  }),
];
