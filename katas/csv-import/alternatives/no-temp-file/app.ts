// Contact lists with a CSV import in two steps: upload the file and see a preview, then confirm.
// The upload is parsed in memory, within its request; the parsed contacts wait for the confirm in the
// key-value store, which every process reaches and which forgets them after an hour by itself.
import type { Env } from 'dojo';

const MAX_BYTES = 1024 * 1024; // 1 MB
const STAGED_SECONDS = 60 * 60; // an import not confirmed within an hour is dropped, by the store

type Contact = { name: string; email: string };
type Parsed = { contacts: Contact[]; skipped: { line: number; reason: string }[] };

const json = (data: unknown, status = 200) => Response.json(data, { status });

/** A simple CSV: a header line with `name` and `email` (in any order), then one contact per line, no quoted fields. */
function parse(text: string): Parsed | string {
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split(',').map((column) => column.trim().toLowerCase());
  const nameAt = header.indexOf('name');
  const emailAt = header.indexOf('email');
  if (nameAt < 0 || emailAt < 0) return 'the first line must name the columns, including name and email';
  const parsed: Parsed = { contacts: [], skipped: [] };
  lines.slice(1).forEach((line, index) => {
    if (line.trim() === '') return;
    const cells = line.split(',').map((cell) => cell.trim());
    const contact = { name: cells[nameAt] ?? '', email: cells[emailAt] ?? '' };
    if (contact.name === '') parsed.skipped.push({ line: index + 2, reason: 'no name' });
    else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact.email)) parsed.skipped.push({ line: index + 2, reason: 'not an email address' });
    else parsed.contacts.push(contact);
  });
  return parsed;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    const match = pathname.match(/^\/lists\/([\w-]{1,40})\/(import|import\/confirm|contacts)$/);
    if (!match) return json({ error: 'not found' }, 404);
    const [, list, action] = match;
    const staged = `import:${list}`; // the parsed contacts, waiting for the confirm

    // Step 1: upload the CSV (form field "file"); answer a preview. A new upload replaces the one waiting.
    if (request.method === 'POST' && action === 'import') {
      const file = (await request.formData()).get('file');
      if (!file || typeof file === 'string') return json({ error: 'send the CSV as a file in the form field "file"' }, 400);
      if (file.size > MAX_BYTES) return json({ error: 'the file is larger than 1 MB' }, 413);
      // 1 MB fits in memory for the length of one request: no temp file at all.
      const parsed = parse(await file.text());
      if (typeof parsed === 'string') return json({ error: parsed }, 400);
      // What the next request needs goes to a backing service, with an expiry the store enforces.
      await env.kv.set(staged, JSON.stringify(parsed.contacts), { EX: STAGED_SECONDS });
      return json({ rows: parsed.contacts.length, sample: parsed.contacts.slice(0, 3), skipped: parsed.skipped });
    }

    // Step 2: confirm; the contacts of the waiting upload join the list.
    if (request.method === 'POST' && action === 'import/confirm') {
      // getdel: read and remove in one step, so a second confirm finds nothing to import again.
      const waiting = await env.kv.getdel(staged);
      if (waiting === null) return json({ error: 'no import is waiting for this list' }, 404);
      const contacts = JSON.parse(waiting) as Contact[];
      for (const contact of contacts) {
        await env.db.query('INSERT INTO contacts (list, name, email) VALUES ($1, $2, $3)', [list, contact.name, contact.email]);
      }
      return json({ imported: contacts.length });
    }

    if (request.method === 'GET' && action === 'contacts') {
      const { rows } = await env.db.query('SELECT name, email FROM contacts WHERE list = $1 ORDER BY id', [list]);
      return json({ contacts: rows });
    }

    return json({ error: 'method not allowed' }, 405);
  },

  async start(env: Env): Promise<void> {
    await env.db.exec(`CREATE TABLE IF NOT EXISTS contacts (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      list text NOT NULL,
      name text NOT NULL,
      email text NOT NULL
    )`);
  },
};
