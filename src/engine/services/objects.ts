// An in-memory, S3-like object store backing service; timestamps come from the (virtual) clock.
import type { ObjectBody, ObjectInfo, ObjectStore, SignedUrlOptions as SignOptions, StoredObject } from './types.ts';
import type { WireRequest, WireResponse } from '../process/protocol.ts';
import { checkSignedRequest, signUrl, storageError } from './signed-urls.ts';

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const MAX_KEY_LENGTH = 1024;

interface Clock {
  now(): number;
}

/** The plain data of a stored object, as it arrives after a structured clone (which copies the body's buffer). */
export interface StoredObjectFields extends ObjectInfo {
  body: Uint8Array<ArrayBuffer>;
}

/**
 * A stored object. Its methods live on the prototype, so an instance survives structured clone as plain data
 * (the receiving side rebuilds it with wrapStoredObject).
 */
export class StoredObjectData implements StoredObject {
  key: string;
  size: number;
  contentType: string;
  uploaded: number;
  etag: string;
  body: Uint8Array<ArrayBuffer>;

  constructor(fields: StoredObjectFields) {
    this.key = fields.key;
    this.size = fields.size;
    this.contentType = fields.contentType;
    this.uploaded = fields.uploaded;
    this.etag = fields.etag;
    this.body = fields.body;
  }

  async text(): Promise<string> {
    return new TextDecoder().decode(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    // A copy, so the caller can't mutate this object's body through the buffer.
    return copyBytes(this.body).buffer;
  }
}

/** Rebuilds a StoredObjectData from its structured-cloned plain form (what a process receives over RPC). */
export function wrapStoredObject(data: StoredObjectFields): StoredObjectData;
export function wrapStoredObject(data: StoredObjectFields | null): StoredObjectData | null;
export function wrapStoredObject(data: StoredObjectFields | null): StoredObjectData | null {
  if (data === null) return null;
  if (!(data.body instanceof Uint8Array)) throw new TypeError('wrapStoredObject: body must be a Uint8Array');
  return new StoredObjectData(data);
}

/** FNV-1a (32-bit) of the bytes, in hex: short, deterministic, and enough to tell versions apart. */
export function fnv1aHex(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}

function isArrayBuffer(value: unknown): value is ArrayBuffer {
  // The tag check also accepts an ArrayBuffer from another realm (e.g. one that came through postMessage).
  return value instanceof ArrayBuffer || Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

/** The bytes of a non-Blob body, always as a fresh copy so later changes by the caller can't reach the store. */
function bodyBytes(body: Exclude<ObjectBody, Blob>): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (ArrayBuffer.isView(body)) return copyBytes(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  if (isArrayBuffer(body)) return copyBytes(new Uint8Array(body));
  throw new TypeError('objects.put: body must be a string, Uint8Array, ArrayBuffer or Blob');
}

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function checkKey(method: string, key: unknown): string {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    const got = typeof key === 'string' ? `a string of ${key.length} characters` : typeof key;
    throw new Error(`objects.${method}: key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters, got ${got}`);
  }
  return key;
}

function contentTypeOf(body: ObjectBody, given: unknown): string {
  if (given !== undefined && given !== null) {
    if (typeof given !== 'string') throw new TypeError('objects.put: contentType must be a string');
    return given;
  }
  // A Blob already knows its type; use it rather than discarding it.
  if (isBlob(body) && body.type !== '') return body.type;
  return DEFAULT_CONTENT_TYPE;
}

interface Stored {
  info: ObjectInfo;
  body: Uint8Array;
}

export { STORAGE_ORIGIN } from './signed-urls.ts';

export class MemoryObjectStore implements ObjectStore {
  readonly #clock: Clock;
  readonly #objects = new Map<string, Stored>();
  /** signs URLs; fixed, so a run replays (the URLs appear in the trace), and out of every process's reach */
  readonly #secret: string;

  constructor(clock: Clock, options: { secret?: string } = {}) {
    this.#clock = clock;
    this.#secret = options.secret ?? 'stateless-dojo-object-store';
  }

  async put(key: string, body: ObjectBody, options: { contentType?: string } = {}): Promise<ObjectInfo> {
    checkKey('put', key);
    const contentType = contentTypeOf(body, options?.contentType);
    // Only a Blob needs an await; other bodies are stored in the same turn, so those puts stay atomic and in call order.
    const bytes = isBlob(body) ? new Uint8Array(await body.arrayBuffer()) : bodyBytes(body);
    const info: ObjectInfo = {
      key,
      size: bytes.byteLength,
      contentType,
      uploaded: this.#clock.now(),
      etag: fnv1aHex(bytes),
    };
    this.#objects.set(key, { info, body: bytes });
    return { ...info };
  }

  async get(key: string): Promise<StoredObjectData | null> {
    const stored = this.#objects.get(checkKey('get', key));
    if (stored === undefined) return null;
    return new StoredObjectData({ ...stored.info, body: copyBytes(stored.body) });
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const stored = this.#objects.get(checkKey('head', key));
    return stored === undefined ? null : { ...stored.info };
  }

  async delete(key: string): Promise<boolean> {
    return this.#objects.delete(checkKey('delete', key));
  }

  async list(options: { prefix?: string } = {}): Promise<ObjectInfo[]> {
    const prefix = options?.prefix ?? '';
    if (typeof prefix !== 'string') throw new TypeError('objects.list: prefix must be a string');
    return [...this.#objects.values()]
      .filter((stored) => stored.info.key.startsWith(prefix))
      .map((stored) => ({ ...stored.info }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** A URL that lets one request upload (PUT) or download (GET) this key straight from the store, until it expires. */
  async signedUrl(key: string, options: SignOptions): Promise<string> {
    return signUrl(this.#secret, key, options, this.#clock.now());
  }

  /** Serve a request a client sent to a signed URL (never reachable by a process: see methods.ts). */
  async serveSigned(request: WireRequest): Promise<WireResponse> {
    const verdict = await checkSignedRequest(this.#secret, request, this.#clock.now());
    if (!verdict.ok) return storageError(verdict.status, verdict.code, verdict.message);
    if (verdict.method === 'GET') {
      const stored = this.#objects.get(verdict.key);
      if (!stored) return storageError(404, 'NoSuchKey', `there is no object ${verdict.key}`);
      return { status: 200, headers: [['content-type', stored.info.contentType], ['etag', stored.info.etag]], body: copyBytes(stored.body) };
    }
    const body = request.body ?? new Uint8Array();
    if (verdict.maxBytes !== undefined && body.byteLength > verdict.maxBytes) {
      return storageError(413, 'EntityTooLarge', `the upload is ${body.byteLength} bytes; this URL allows at most ${verdict.maxBytes}`);
    }
    const declared = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
    if (verdict.contentType !== undefined && declared !== verdict.contentType) {
      return storageError(403, 'SignatureDoesNotMatch', `this URL was signed for Content-Type ${verdict.contentType}, the upload says ${declared ?? 'none'}`);
    }
    const info = await this.put(verdict.key, body, { contentType: declared ?? verdict.contentType });
    return { status: 200, headers: [['etag', info.etag]], body: new Uint8Array() };
  }

  /** Number of stored objects. */
  get size(): number {
    return this.#objects.size;
  }
}
