// Visible tests of the CSV import kata. The hidden tests run these too, and also check restarts between the
// preview and the confirm, a new upload replacing the waiting one, the one-hour expiry, a double confirm, and kills.
import { test, type Client, type Cluster, type Expect, type TracedResponse } from 'dojo/testing';

/** A contacts CSV with `count` good rows named after `who`, plus the given bad lines at the end. */
export function csv(who: string, count: number, bad: string[] = []): { text: string; contacts: { name: string; email: string }[] } {
  const contacts = Array.from({ length: count }, (_, i) => ({ name: `${who} ${i + 1}`, email: `${who.toLowerCase()}${i + 1}@example.com` }));
  const text = ['name,email', ...contacts.map((c) => `${c.name},${c.email}`), ...bad].join('\n') + '\n';
  return { text, contacts };
}

const short = (res: TracedResponse) => `${res.status} ${res.text().slice(0, 100)}`;

/** Step 1: upload a CSV as a browser's form would (form field "file"); checks for a 200 preview. */
export async function preview(expect: Expect, browser: Client, list: string, text: string, story = ''): Promise<TracedResponse> {
  const res = await browser.post(`/lists/${list}/import`, { multipart: { file: { name: `${list}.csv`, type: 'text/csv', data: text } } });
  expect(res.status, `${story}a CSV was uploaded to list ${list}; ${res.servedBy} answered the preview with ${short(res)}`).toBe(200);
  return res;
}

/** Step 2: confirm the waiting import of `list`. */
export function confirm(browser: Client, list: string): Promise<TracedResponse> {
  return browser.post(`/lists/${list}/import/confirm`);
}

/** The contacts of `list`, as the app lists them. */
export async function contactsOf(expect: Expect, browser: Client, list: string): Promise<{ name: string; email: string }[]> {
  const res = await browser.get(`/lists/${list}/contacts`);
  expect(res.status, `${res.servedBy} answered GET /lists/${list}/contacts with ${short(res)}`).toBe(200);
  return (res.json()?.contacts ?? []).map((c: { name: string; email: string }) => ({ name: c.name, email: c.email }));
}

/** Fails when the local disk of the process that served `res` holds any file once the request is over. */
export async function expectCleanDisk(cluster: Cluster, res: TracedResponse, what: string, fail: (message: string) => never): Promise<void> {
  if (res.servedBy === 'balancer') return;
  const disk = await cluster.disk(res.servedBy);
  const left = disk.files();
  if (left.length > 0) {
    const sizes = left.slice(0, 3).map((path) => `${path} (${disk.bytes(path)?.length ?? 0} bytes)`).join(', ');
    fail(
      `${res.servedBy} answered ${what}, and its local disk still holds ${left.length === 1 ? 'a file' : `${left.length} files`}: ${sizes}. ` +
        "A process's disk is a cache for one request: the next request may land on another process, a restart wipes it, and files " +
        'nobody deletes fill it. Delete a temp file before answering; keep what the next request needs in a backing service.',
    );
  }
}

export default [
  test('a preview on one process can be confirmed on another', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // upload, confirm and listing each land on another process
    const browser = client();
    const file = csv('Team', 5, ['Nobody,not-an-email', ',noname@example.com']);
    const shown = await preview(expect, browser, 'team', file.text);
    const body = shown.json();
    expect(body?.rows, `${shown.servedBy} previewed a CSV of 5 good rows and 2 bad ones`).toBe(5);
    expect(body?.sample, `${shown.servedBy}'s preview shows the first three contacts`).toEqual(file.contacts.slice(0, 3));
    expect(body?.skipped?.map((s: { line: number }) => s.line), `${shown.servedBy}'s preview lists the bad lines (7 and 8)`).toEqual([7, 8]);
    const done = await confirm(browser, 'team');
    expect(
      done.status,
      `the CSV was previewed on ${shown.servedBy}; the confirm went to ${done.servedBy}, which answered ${short(done)}: ` +
        'what the confirm needs must be where every process finds it',
    ).toBe(200);
    expect(done.json()?.imported, `${done.servedBy} confirmed the import of 5 good rows`).toBe(5);
    const listed = await contactsOf(expect, browser, 'team');
    expect(listed, 'after the confirm, the team list holds the 5 good contacts of the CSV').toEqual(file.contacts);
  }),

  test("a request leaves no file on the disk of the process that served it", async ({ cluster, client, expect, fail }) => {
    await cluster.start({ web: 2 });
    cluster.balance('round-robin');
    const browser = client();
    for (const list of ['team', 'sales']) {
      const shown = await preview(expect, browser, list, csv(list, 4).text);
      await expectCleanDisk(cluster, shown, `the preview of list ${list}'s CSV`, fail);
      const done = await confirm(browser, list);
      expect(done.status, `list ${list}'s CSV was previewed on ${shown.servedBy}; ${done.servedBy} answered the confirm with ${short(done)}`).toBe(200);
      await expectCleanDisk(cluster, done, `the confirm of list ${list}'s import`, fail);
    }
  }),
];
