// A test can look at a process's local disk: to prove a request left no temporary file behind.
import { afterAll, describe, expect, it } from 'vitest';
import { NodeHost } from '../../../src/engine/hosts/node/host.ts';
import type { ProcessDisk } from '../../../src/engine/testing/types.ts';
import { dump, runApp } from './helpers.ts';

const host = new NodeHost();
afterAll(() => host.dispose());

/** A CSV import that stages the upload in a temp file; `cleanUp` says whether it removes it when done. */
const importer = (cleanUp: boolean) => `
import { writeFileSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
export default {
  async fetch(request, env) {
    mkdirSync('/tmp', { recursive: true });
    const staged = '/tmp/import-' + crypto.randomUUID() + '.csv';
    writeFileSync(staged, await request.text());
    const rows = readFileSync(staged, 'utf8').trim().split('\\n').length;
    ${cleanUp ? 'unlinkSync(staged);' : ''}
    writeFileSync('last-import.txt', String(rows));
    return Response.json({ rows });
  },
};`;

async function importOnce(cleanUp: boolean): Promise<ProcessDisk> {
  let disk: ProcessDisk | undefined;
  const { result } = await runApp(host, importer(cleanUp), async ({ cluster, client }) => {
    const [web] = await cluster.start({ web: 1 });
    const res = await client().post('/import', { body: 'a,1\nb,2\n' });
    if (res.json().rows !== 2) throw new Error(`expected 2 rows, got ${res.text()}`);
    disk = await cluster.disk(web!);
  });
  expect(result.status, dump(result)).toBe('pass');
  return disk!;
}

describe('cluster.disk', () => {
  it('shows the temp file a request left behind, with its content', async () => {
    const disk = await importOnce(false);
    const left = disk.files('/tmp');
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\/tmp\/import-[0-9a-f-]{36}\.csv$/);
    expect(disk.read(left[0]!)).toBe('a,1\nb,2\n');
  });

  it('shows no temp file when the request removed it, and resolves relative paths in /app', async () => {
    const disk = await importOnce(true);
    expect(disk.files('/tmp')).toEqual([]);
    expect(disk.files()).toEqual(['/app/last-import.txt']);
    expect(disk.has('last-import.txt')).toBe(true);
    expect(disk.read('./last-import.txt')).toBe('2');
    expect(disk.read('missing.txt')).toBeUndefined();
  });

  it('a restarted process starts with an empty disk', async () => {
    let before: string[] = [];
    let after: string[] = ['unset'];
    const { result } = await runApp(host, importer(false), async ({ cluster, client }) => {
      await cluster.start({ web: 1 });
      await client().post('/import', { body: 'x\n' });
      before = (await cluster.disk('web.1')).files();
      await cluster.restart('web.1');
      after = (await cluster.disk('web.1')).files();
    });
    expect(result.status, dump(result)).toBe('pass');
    expect(before).toHaveLength(2);
    expect(after).toEqual([]);
  });

  it('asking for the disk of a process that does not run says so', async () => {
    const { result } = await runApp(host, importer(true), async ({ cluster }) => {
      await cluster.start({ web: 1 });
      await cluster.disk('web.2');
    });
    expect(result.status).toBe('error');
    expect(result.message).toContain("there is no process named 'web.2'");
  });
});
