// Wrong: the count is kept in a file on the process's local disk. It survives between
// requests, but each process has its own disk, and a restart wipes it.
import type { Env } from 'dojo';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = './data/visits.txt';

function read(): number {
  return existsSync(FILE) ? Number(readFileSync(FILE, 'utf8')) : 0;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'GET' && pathname === '/') {
      const visits = read() + 1;
      mkdirSync('./data', { recursive: true });
      writeFileSync(FILE, String(visits));
      return Response.json({ visits });
    }
    if (request.method === 'GET' && pathname === '/visits') {
      return Response.json({ visits: read() });
    }
    return new Response('Not found', { status: 404 });
  },
};
