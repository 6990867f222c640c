// A POSIX `node:path` for learner code, so it runs the same in a Web Worker as in Node.

export const sep = '/';
export const delimiter = ':';

export function normalize(path: string): string {
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
    } else parts.push(part);
  }
  const joined = parts.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

export function join(...parts: string[]): string {
  return normalize(parts.filter((part) => part !== '').join('/'));
}

export function resolve(...segments: string[]): string {
  const parts = segments.filter((part) => part !== '');
  let path = '';
  for (let i = parts.length - 1; i >= 0 && !path.startsWith('/'); i--) {
    path = path === '' ? parts[i]! : `${parts[i]}/${path}`;
  }
  if (!path.startsWith('/')) path = `${cwd()}/${path}`;
  const normal = normalize(path);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}

export function dirname(path: string): string {
  const normal = normalize(path);
  const at = normal.lastIndexOf('/');
  if (at === -1) return '.';
  if (at === 0) return '/';
  return normal.slice(0, at);
}

export function basename(path: string, ext?: string): string {
  const base = normalize(path).split('/').pop() ?? '';
  return ext && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

export function extname(path: string): string {
  const base = basename(path);
  const at = base.lastIndexOf('.');
  return at <= 0 ? '' : base.slice(at);
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

export function relative(from: string, to: string): string {
  const a = resolve(from).split('/').filter(Boolean);
  const b = resolve(to).split('/').filter(Boolean);
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

/** Every process runs its app from /app, the same on every host. */
export function cwd(): string {
  return '/app';
}

export const posix = { sep, delimiter, normalize, join, resolve, dirname, basename, extname, isAbsolute, relative };
export default posix;
