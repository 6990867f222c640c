// How requests and responses cross into a process and back, the same in a browser as in Node.
import type { WireRequest, WireResponse } from './protocol.ts';

/**
 * Reading a body is work the platform finishes in its own time: in a browser it resolves in a later task, not in a
 * microtask, so a process awaiting `request.json()` would look idle to the supervisor (which may then move the
 * clock to a timer of the process, as if it waited on it). The runtime counts such reads through this hook and says
 * it is idle only once they are done.
 */
let track: <T>(work: Promise<T>) => Promise<T> = (work) => work;

export function trackPlatformWork(tracker: <T>(work: Promise<T>) => Promise<T>): void {
  track = tracker;
}

type BodyReader = 'arrayBuffer' | 'blob' | 'bytes' | 'formData' | 'json' | 'text';
const READERS: readonly BodyReader[] = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'];

/** Gives a Request or Response class body readers that the runtime counts (see `trackPlatformWork`). */
function countReads(prototype: Request | Response, base: Request | Response): void {
  for (const name of READERS) {
    const read = (base as unknown as Record<string, ((this: unknown) => Promise<unknown>) | undefined>)[name];
    if (typeof read !== 'function') continue;
    Object.defineProperty(prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: unknown) {
        return track(read.call(this));
      },
    });
  }
}

/**
 * Browsers drop Set-Cookie from a Response built in script (a "forbidden response header"); Node keeps it.
 * Learner code gets this Response, which remembers the cookies it was given, so both hosts send them.
 */
const cookiesOf = new WeakMap<Response, string[]>();

function setCookies(headers: HeadersInit | undefined): string[] {
  if (!headers) return [];
  if (headers instanceof Headers) return headers.getSetCookie();
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return entries.filter(([name]) => name.toLowerCase() === 'set-cookie').map(([, value]) => String(value));
}

export class CookieKeepingResponse extends Response {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    super(body, init);
    const cookies = setCookies(init?.headers);
    if (cookies.length > 0) cookiesOf.set(this, cookies);
  }
  static override json(data: unknown, init?: ResponseInit): Response {
    const headers = new Headers(init?.headers);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    return new CookieKeepingResponse(JSON.stringify(data), { ...init, headers });
  }
  static override redirect(url: string | URL, status = 302): Response {
    return new CookieKeepingResponse(null, { status, headers: { location: String(url) } });
  }
}

countReads(CookieKeepingResponse.prototype, Response.prototype);

/** Browsers also drop "forbidden" request headers (Cookie, Host…) from a Request built in script: keep them all. */
class AllHeadersRequest extends Request {
  readonly #headers: Headers;
  constructor(input: string, init: RequestInit & { headers: [string, string][] }) {
    super(input, init);
    this.#headers = new Headers(init.headers);
  }
  override get headers(): Headers {
    return this.#headers;
  }
}
countReads(AllHeadersRequest.prototype, Request.prototype);

export function toRequest(wire: WireRequest): Request {
  const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD';
  return new AllHeadersRequest(wire.url, {
    method: wire.method,
    headers: wire.headers,
    body: hasBody ? (wire.body as Uint8Array<ArrayBuffer>) : null,
  });
}

export async function fromResponse(response: Response): Promise<WireResponse> {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push([name, value]);
  });
  const kept = cookiesOf.get(response) ?? [];
  const cookies = [...kept, ...response.headers.getSetCookie().filter((cookie) => !kept.includes(cookie))];
  for (const cookie of cookies) headers.push(['set-cookie', cookie]);
  return { status: response.status, headers, body: new Uint8Array(await response.arrayBuffer()) };
}
