// A browser-like HTTP client for tests: it keeps cookies and sends every request through the cluster's balancer.
import type { Cluster, Routed } from '../core/cluster.ts';
import { STICKY_COOKIE } from '../core/balancer.ts';
import type { WireRequest } from '../process/protocol.ts';
import type { Client, EventStream, EventStreamOptions, RequestOptions, StreamEnding, TracedResponse } from './types.ts';
import { SseParser, type ServerSentEvent } from './sse.ts';
import { AssertionFailure } from '../core/errors.ts';
import { show } from './expect.ts';
import { STORAGE_ORIGIN } from '../services/signed-urls.ts';

const ORIGIN = 'http://app.local';
const encoder = new TextEncoder();
/** Browsers refuse a cookie whose name and value together pass 4096 bytes (RFC 6265 §6.1's floor, Chrome's cap). */
export const COOKIE_LIMIT_BYTES = 4096;

/** A kept cookie: its value, and when it expires in virtual time (none: a session cookie, kept for the test). */
interface Kept {
  value: string;
  expiresAt?: number;
}

/** Where a client's requests go: the balancer, and (for signed URLs) the object store. */
export type Transport = Pick<Cluster, 'route'> & Partial<Pick<Cluster, 'toStorage' | 'routeLater' | 'closeStream' | 'idle'>>;

/** How long EventSource waits before it reconnects, until the stream says otherwise with `retry:` (browsers: ~3 s). */
export const DEFAULT_RETRY_MS = 3000;

/** The platform answered instead of the app because the process ended or none ran: worth sending again. */
function diedWithProcess(response: TracedResponse): boolean {
  return (response.status === 502 || response.status === 503) && response.headers.has('x-dojo-error');
}

/**
 * `id` names the client in the keys it makes: numbered per test, so a replay makes the same keys. `note` puts what
 * a browser would do silently (drop an oversized cookie) in the trace, so a failure that follows can be explained.
 */
export function createClient(transport: Transport, now: () => number, id = 'client', note?: (text: string) => void): Client {
  const cluster = streaming(transport);
  const clientId = id;
  const jar = new Map<string, Kept>();
  /** The cookies still alive now: an expired one is forgotten, as a browser forgets it, and never sent again. */
  const live = (): Map<string, string> => {
    for (const [name, kept] of jar) if (kept.expiresAt !== undefined && kept.expiresAt <= now()) jar.delete(name);
    return new Map([...jar].map(([name, kept]) => [name, kept.value]));
  };

  let keys = 0;

  /**
   * Send, and (with `retry`) send again what died with its process, as a client library with retries does: the same
   * request, the same Idempotency-Key (Stripe's header), until an answer comes from the app or the attempts run out.
   */
  async function request(method: string, path: string, options: RequestOptions = {}): Promise<TracedResponse> {
    const retries = options.retry ?? 0;
    if (!Number.isInteger(retries) || retries < 0 || retries > 20) throw new RangeError(`retry: 0 to 20 retries, got ${String(options.retry)}`);
    const headers = { ...options.headers };
    if (options.idempotencyKey !== undefined) {
      // A fixed key per client and request keeps replays identical (a UUID would be random).
      headers['idempotency-key'] = options.idempotencyKey === true ? `${clientId}-${++keys}` : options.idempotencyKey;
    }
    let attempt = 1;
    let response = await once(method, path, { ...options, headers });
    while (attempt <= retries && diedWithProcess(response)) {
      attempt += 1;
      response = await once(method, path, { ...options, headers });
    }
    return { ...response, attempts: attempt };
  }

  async function once(method: string, path: string, options: RequestOptions): Promise<TracedResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const body = encodeBody(options, headers);
    const url = new URL(path, ORIGIN);
    // A signed URL goes straight to the object store, as a browser's upload to S3 does: no process, no app cookies.
    if (url.origin === STORAGE_ORIGIN) {
      if (!transport.toStorage) throw new Error('this client cannot reach the object store');
      return traced(await cluster.toStorage({ method: method.toUpperCase(), url: url.href, headers: Object.entries(headers), body }));
    }
    const jar = live();
    const routed = await cluster.route(toApp(method, url, headers, body, jar), jar.get(STICKY_COOKIE));
    keepCookies(routed);
    if (routed.stream) routed.response.body = await readWhole(routed);
    return traced(routed);
  }

  /** A request to the app, with this client's cookies (the live ones, as the caller swept them). */
  function toApp(method: string, url: URL, headers: Record<string, string>, body: Uint8Array | null, jar = live()): WireRequest {
    const cookies = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const all = { ...headers };
    if (cookies) all.cookie = cookies;
    return { method: method.toUpperCase(), url: url.href, headers: Object.entries(all), body };
  }

  /**
   * An ordinary request whose answer is a stream: read it to its end, or, if it is still open once the cluster has
   * nothing left to do (nothing more can come until the test acts), hang up and keep what came, as `curl --max-time`
   * would. A stream that ends by itself (a file sent in chunks) reads like any other body.
   */
  async function readWhole(routed: Routed): Promise<Uint8Array> {
    const stream = routed.stream!;
    const chunks: Uint8Array[] = [];
    let ended = false;
    stream.listen((bytes) => chunks.push(bytes), () => (ended = true));
    await cluster.idle();
    if (!ended) await cluster.closeStream(routed.servedBy, routed.requestId);
    return concatBytes(chunks);
  }

  /** A server-sent events connection, as a browser's EventSource keeps it (see EventStream in types.ts). */
  async function events(path: string, options: EventStreamOptions = {}): Promise<EventStream> {
    const url = new URL(path, ORIGIN);
    const reconnect = options.reconnect ?? true;
    const received: ServerSentEvent[] = [];
    let retry = DEFAULT_RETRY_MS;
    const parser = new SseParser(options.lastEventId ?? '', (event) => received.push(event), (ms) => (retry = ms));
    let state: EventStream['state'] = 'connecting';
    let current: Routed | undefined;
    let connections = 0;
    let ended: StreamEnding | undefined;
    let closedByTest = false;
    let later: { cancel(): void } | undefined;

    const request = (): WireRequest => {
      const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-store', ...options.headers };
      if (parser.lastEventId) headers['last-event-id'] = parser.lastEventId;
      return toApp('GET', url, headers, null);
    };
    const lost = (ending: StreamEnding) => {
      parser.end();
      ended = ending;
      if (closedByTest || ending.cause === 'client' || ending.cause === 'failed' || !reconnect) {
        state = 'closed';
        return;
      }
      // EventSource reconnects after its retry delay, through the balancer: maybe to another process.
      state = 'connecting';
      const next = cluster.routeLater(request(), retry, live().get(STICKY_COOKIE));
      later = next;
      next.answer.then((routed) => {
        later = undefined;
        connected(routed);
      }, () => undefined);
    };
    const connected = (routed: Routed) => {
      keepCookies(routed);
      current = routed;
      connections += 1;
      const { status } = routed.response;
      const type = routed.response.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
      if (closedByTest) {
        if (routed.stream) void cluster.closeStream(routed.servedBy, routed.requestId);
        return;
      }
      if (diedWithProcess(traced(routed))) {
        return lost({ cause: 'unreachable', reason: `the platform answered ${status}: ${new TextDecoder().decode(routed.response.body)}` });
      }
      if (status !== 200 || !/^text\/event-stream/i.test(type)) {
        if (routed.stream) void cluster.closeStream(routed.servedBy, routed.requestId);
        const body = routed.stream ? '' : `: ${show(new TextDecoder().decode(routed.response.body).slice(0, 200))}`;
        return lost({
          cause: 'failed',
          reason: `${routed.servedBy} answered ${status} with content-type ${type || '(none)'}${body}; an event stream must answer 200 with content-type text/event-stream (EventSource gives up otherwise)`,
        });
      }
      state = 'open';
      if (!routed.stream) {
        parser.push(routed.response.body);
        return lost({ cause: 'app', reason: `${routed.servedBy} answered with a whole body instead of a stream` });
      }
      routed.stream.listen((bytes) => parser.push(bytes), (end) => lost(end));
    };

    connected(await cluster.route(request(), live().get(STICKY_COOKIE)));
    return {
      get state() { return state; },
      get closed() { return state !== 'open'; },
      get ended() { return ended; },
      get events() { return [...received]; },
      data: () => received.map((event) => event.data),
      get status() { return current!.response.status; },
      get headers() { return new Headers(current!.response.headers); },
      get servedBy() { return current!.servedBy; },
      get generation() { return current!.generation; },
      get connections() { return connections; },
      get lastEventId() { return parser.lastEventId; },
      get retry() { return retry; },
      async close() {
        if (closedByTest) return;
        closedByTest = true;
        later?.cancel();
        later = undefined;
        if (state === 'open' && current?.stream && !current.stream.ended) await cluster.closeStream(current.servedBy, current.requestId);
        state = 'closed';
      },
    };
  }

  function keepCookies(routed: Routed): void {
    for (const [name, value] of routed.response.headers) {
      if (name.toLowerCase() !== 'set-cookie') continue;
      const [pair, ...attributes] = value.split(';');
      const at = pair!.indexOf('=');
      if (at <= 0) continue;
      const cookie = pair!.slice(0, at).trim();
      const cookieValue = pair!.slice(at + 1).trim();
      const expiresAt = expiryOf(attributes, now());
      if ((expiresAt !== undefined && expiresAt <= now()) || cookieValue === '') {
        jar.delete(cookie);
        continue;
      }
      const size = encoder.encode(cookie + cookieValue).byteLength;
      if (size > COOKIE_LIMIT_BYTES) {
        // A browser drops it without a word (and keeps the old value): so does this client, but the trace says so.
        note?.(`${clientId} dropped the cookie "${cookie}" that ${routed.servedBy} set: ${size} bytes of name and value, over the ${COOKIE_LIMIT_BYTES} a browser keeps`);
        continue;
      }
      jar.set(cookie, expiresAt === undefined ? { value: cookieValue } : { value: cookieValue, expiresAt });
    }
  }

  return {
    get: (path, options) => request('GET', path, options),
    post: (path, options) => request('POST', path, options),
    put: (path, options) => request('PUT', path, options),
    delete: (path, options) => request('DELETE', path, options),
    request,
    events,
    cookies: () => Object.fromEntries(live()),
    setCookie: (name, value) => void jar.set(name, { value }),
  };
}

/** When a Set-Cookie's attributes make it expire; Max-Age wins over Expires (RFC 6265 §5.3). None: a session cookie. */
function expiryOf(attributes: string[], now: number): number | undefined {
  let expires: number | undefined;
  for (const attribute of attributes) {
    const at = attribute.indexOf('=');
    const key = (at < 0 ? attribute : attribute.slice(0, at)).trim();
    const raw = at < 0 ? '' : attribute.slice(at + 1).trim();
    if (/^max-age$/i.test(key)) {
      if (!/^-?\d+$/.test(raw)) continue; // a malformed Max-Age is ignored, as browsers do
      return now + Number(raw) * 1000;
    }
    if (/^expires$/i.test(key)) {
      const date = Date.parse(raw);
      if (!Number.isNaN(date)) expires = date;
    }
  }
  return expires;
}

/** A transport that can also keep streams (the cluster is one; a test's stub transport is told it is not). */
function streaming(transport: Transport): Required<Transport> {
  const missing = (): never => {
    throw new Error('this client cannot keep streamed responses');
  };
  return {
    route: (request, pinned) => transport.route(request, pinned),
    toStorage: transport.toStorage ? (request) => transport.toStorage!(request) : missing,
    routeLater: transport.routeLater ? (request, delay, pinned) => transport.routeLater!(request, delay, pinned) : missing,
    closeStream: transport.closeStream ? (process, id) => transport.closeStream!(process, id) : missing,
    idle: transport.idle ? () => transport.idle!() : missing,
  };
}

function encodeBody(options: RequestOptions, headers: Record<string, string>): Uint8Array | null {
  if (options.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    return encoder.encode(JSON.stringify(options.json));
  }
  if (options.form) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return encoder.encode(new URLSearchParams(options.form).toString());
  }
  if (options.multipart) return encodeMultipart(options.multipart, headers);
  if (options.body === undefined) return null;
  return typeof options.body === 'string' ? encoder.encode(options.body) : options.body;
}

/** multipart/form-data by hand: a fixed boundary keeps requests identical between replays. */
function encodeMultipart(parts: NonNullable<RequestOptions['multipart']>, headers: Record<string, string>): Uint8Array {
  const boundary = '----dojo-boundary-7MA4YWxkTrZu0gW';
  headers['content-type'] = `multipart/form-data; boundary=${boundary}`;
  const chunks: Uint8Array[] = [];
  for (const [field, value] of Object.entries(parts)) {
    if (typeof value === 'string') {
      chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`));
    } else {
      chunks.push(encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${value.name}"\r\nContent-Type: ${value.type}\r\n\r\n`,
      ));
      chunks.push(typeof value.data === 'string' ? encoder.encode(value.data) : value.data);
      chunks.push(encoder.encode('\r\n'));
    }
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  return concatBytes(chunks);
}

/** The chunks, one after another, in one array. */
function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function traced(routed: Routed): TracedResponse {
  const { response } = routed;
  const text = () => new TextDecoder().decode(response.body);
  return {
    status: response.status,
    ok: response.status >= 200 && response.status < 300,
    headers: new Headers(response.headers),
    servedBy: routed.servedBy,
    generation: routed.generation,
    requestId: routed.requestId,
    attempts: 1,
    text,
    json: () => {
      const failure = response.headers.find(([name]) => name === 'x-dojo-error')?.[1];
      if (failure) throw new AssertionFailure(`the request got no answer from the app: ${failure}`);
      try {
        return JSON.parse(text());
      } catch {
        throw new AssertionFailure(
          `${routed.servedBy} answered ${response.status} with a body that is not JSON: ${show(text())}`,
        );
      }
    },
    bytes: () => response.body.slice(),
  };
}
