// How requests and responses cross into a process and back, the same in a browser as in Node.
import type { WireRequest, WireResponse } from './protocol.ts';

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

/** Responses the app built on a ReadableStream: sent as a stream (server-sent events), chunk by chunk. */
const streamed = new WeakSet<Response>();

export class CookieKeepingResponse extends Response {
  constructor(body?: BodyInit | null, init?: ResponseInit) {
    super(body, init);
    const cookies = setCookies(init?.headers);
    if (cookies.length > 0) cookiesOf.set(this, cookies);
    if (body instanceof ReadableStream) streamed.add(this);
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

/**
 * Waits on work the platform finishes in its own time (a browser reads a body as a stream, in tasks of its own): the
 * process counts as busy until it settles, so it never reports itself idle in the middle of reading a body.
 */
export type PlatformWork = <T>(work: Promise<T>) => Promise<T>;

const untracked: PlatformWork = (work) => work;

/**
 * Browsers also drop "forbidden" request headers (Cookie, Host…) from a Request built in script: keep them all.
 * Reading its body is platform work (see PlatformWork).
 */
class AllHeadersRequest extends Request {
  readonly #headers: Headers;
  readonly #busy: PlatformWork;
  constructor(input: string, init: RequestInit & { headers: [string, string][] }, busy: PlatformWork) {
    super(input, init);
    this.#headers = new Headers(init.headers);
    this.#busy = busy;
  }
  override get headers(): Headers {
    return this.#headers;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#busy(super.arrayBuffer());
  }
  override blob(): Promise<Blob> {
    return this.#busy(super.blob());
  }
  override async formData(): Promise<FormData> {
    const form = await this.#busy(super.formData());
    // Its files are read later, by the app (an upload's bytes): those reads are platform work too.
    const tracked = new FormData();
    for (const [name, value] of form) tracked.append(name, typeof value === 'string' ? value : new TrackedFile(value, this.#busy));
    return tracked;
  }
  override json(): Promise<unknown> {
    return this.#busy(super.json());
  }
  override text(): Promise<string> {
    return this.#busy(super.text());
  }
}

/** A file of a form the app received: reading it is platform work (a browser reads a Blob in tasks of its own). */
class TrackedFile extends File {
  readonly #busy: PlatformWork;
  constructor(file: File, busy: PlatformWork) {
    super([file], file.name, { type: file.type, lastModified: file.lastModified });
    this.#busy = busy;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#busy(super.arrayBuffer());
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#busy(super.bytes());
  }
  override text(): Promise<string> {
    return this.#busy(super.text());
  }
}

export function toRequest(wire: WireRequest, busy: PlatformWork = untracked): Request {
  const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD';
  return new AllHeadersRequest(wire.url, {
    method: wire.method,
    headers: wire.headers,
    body: hasBody ? (wire.body as Uint8Array<ArrayBuffer>) : null,
  }, busy);
}

/**
 * The app answered with a body it writes over time (`new Response(readableStream)`, Hono's streamSSE): the head goes
 * out now and each chunk as it is enqueued, instead of waiting for a body that may never end. Every other response
 * (text, JSON, bytes) is read whole, as before.
 */
export function isStreamed(response: Response): boolean {
  return streamed.has(response) && response.body !== null;
}

/** Status and headers of a response, without its body. */
export function headOf(response: Response): WireResponse {
  return { status: response.status, headers: headersOf(response), body: new Uint8Array(0) };
}

export async function fromResponse(response: Response): Promise<WireResponse> {
  return { status: response.status, headers: headersOf(response), body: new Uint8Array(await response.arrayBuffer()) };
}

function headersOf(response: Response): [string, string][] {
  const headers: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers.push([name, value]);
  });
  const kept = cookiesOf.get(response) ?? [];
  const cookies = [...kept, ...response.headers.getSetCookie().filter((cookie) => !kept.includes(cookie))];
  for (const cookie of cookies) headers.push(['set-cookie', cookie]);
  return headers;
}
