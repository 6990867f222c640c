// A test's look at one process's local disk: which files are there and what they hold (relative paths are in /app).
import type { ProcessDisk } from './types.ts';

const APP_DIR = '/app';

function absolute(path: string): string {
  const joined = path.startsWith('/') ? path : `${APP_DIR}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}

export function processDisk(process: string, files: Record<string, Uint8Array>): ProcessDisk {
  const paths = Object.keys(files).sort();
  return {
    process,
    files: (under = '/') => {
      const dir = absolute(under);
      return paths.filter((path) => dir === '/' || path === dir || path.startsWith(`${dir}/`));
    },
    has: (path) => absolute(path) in files,
    bytes: (path) => files[absolute(path)]?.slice(),
    read: (path) => {
      const data = files[absolute(path)];
      return data === undefined ? undefined : new TextDecoder().decode(data);
    },
  };
}
