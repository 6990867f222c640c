// WRONG: no process keeps the import: the parsed contacts travel to the browser in a cookie and come back with the
// confirm. Any process can confirm a small list, but a browser keeps at most 4 KB per cookie and silently drops a
// larger one, so a real import of a few hundred contacts is lost between the preview and the confirm.
import type { Env } from 'dojo';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

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
      // A temp file is fine as a brief, single-request cache: a unique name, and gone before we answer.
      mkdirSync('/tmp', { recursive: true });
      const temp = `/tmp/import-${crypto.randomUUID()}.csv`;
      let parsed: Parsed | string;
      try {
        writeFileSync(temp, new Uint8Array(await file.arrayBuffer()));
        parsed = parse(readFileSync(temp, 'utf8'));
      } finally {
        rmSync(temp, { force: true });
      }
      if (typeof parsed === 'string') return json({ error: parsed }, 400);
      const cookie = `${staged.replace(':', '-')}=${encodeURIComponent(JSON.stringify(parsed.contacts))}; Max-Age=${STAGED_SECONDS}; Path=/; HttpOnly`;
      const preview = { rows: parsed.contacts.length, sample: parsed.contacts.slice(0, 3), skipped: parsed.skipped };
      return Response.json(preview, { headers: { 'set-cookie': cookie } });
    }

    // Step 2: confirm; the contacts of the waiting upload join the list.
    if (request.method === 'POST' && action === 'import/confirm') {
      const name = staged.replace(':', '-');
      const sent = (request.headers.get('cookie') ?? '').split(/;\s*/).find((pair) => pair.startsWith(name + '='));
      if (!sent) return json({ error: 'no import is waiting for this list' }, 404);
      const contacts = JSON.parse(decodeURIComponent(sent.slice(name.length + 1))) as Contact[];
      for (const contact of contacts) {
        await env.db.query('INSERT INTO contacts (list, name, email) VALUES ($1, $2, $3)', [list, contact.name, contact.email]);
      }
      return Response.json({ imported: contacts.length }, { headers: { 'set-cookie': `${name}=; Max-Age=0; Path=/` } });
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
