// Signed URLs for the object store, as S3's presigned URLs work: the app signs what one request may do (method, key,
// content type, size, expiry); the browser sends that request straight to the store, which checks it — no process
// in between. A URL that has expired, or whose any part was changed, is refused with S3's error code.
import type { WireRequest, WireResponse } from '../process/protocol.ts';
import type { SignedUrlOptions } from './types.ts';

/** The store's address: requests a client sends there never reach an app process. */
export const STORAGE_ORIGIN = 'https://storage.dojo';

type SignOptions = SignedUrlOptions;

/** S3's error codes, so learners meet the names they will meet in production. */
export type StorageErrorCode = 'AccessDenied' | 'SignatureDoesNotMatch' | 'EntityTooLarge' | 'NoSuchKey' | 'MethodNotAllowed' | 'InvalidArgument';

const PARAM = {
  method: 'X-Dojo-Method',
  expires: 'X-Dojo-Expires',
  contentType: 'X-Dojo-Content-Type',
  maxBytes: 'X-Dojo-Max-Bytes',
  signature: 'X-Dojo-Signature',
} as const;

const MAX_EXPIRES_S = 7 * 24 * 3600;

export function checkSignOptions(key: string, options: SignOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('objects.signedUrl: options are required ({ method, expiresIn })');
  if (options.method !== 'PUT' && options.method !== 'GET') throw new TypeError(`objects.signedUrl: method must be 'PUT' or 'GET', got ${String(options.method)}`);
  if (!Number.isInteger(options.expiresIn) || options.expiresIn < 1 || options.expiresIn > MAX_EXPIRES_S) {
    throw new RangeError(`objects.signedUrl: expiresIn is in whole seconds, 1 to ${MAX_EXPIRES_S} (7 days), got ${String(options.expiresIn)}`);
  }
  if (options.maxBytes !== undefined && (!Number.isInteger(options.maxBytes) || options.maxBytes < 0)) {
    throw new RangeError(`objects.signedUrl: maxBytes must be a whole number of bytes, got ${String(options.maxBytes)}`);
  }
  if (options.contentType !== undefined && typeof options.contentType !== 'string') throw new TypeError('objects.signedUrl: contentType must be a string');
  if (typeof key !== 'string' || key === '') throw new TypeError('objects.signedUrl: key must be a non-empty string');
}

/** What a signature covers: every parameter and the key, so changing any of them breaks it. */
function canonical(key: string, params: URLSearchParams): string {
  return [key, ...Object.values(PARAM).filter((name) => name !== PARAM.signature).map((name) => `${name}=${params.get(name) ?? ''}`)].join('\n');
}

async function hmac(secret: string, text: string): Promise<string> {
  const encoder = new TextEncoder();
  const keyData = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', keyData, encoder.encode(text)));
  return [...signature].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function signUrl(secret: string, key: string, options: SignOptions, now: number): Promise<string> {
  checkSignOptions(key, options);
  const params = new URLSearchParams();
  params.set(PARAM.method, options.method);
  params.set(PARAM.expires, String(now + options.expiresIn * 1000));
  if (options.contentType !== undefined) params.set(PARAM.contentType, options.contentType);
  if (options.maxBytes !== undefined) params.set(PARAM.maxBytes, String(options.maxBytes));
  params.set(PARAM.signature, await hmac(secret, canonical(key, params)));
  return `${STORAGE_ORIGIN}/${key.split('/').map(encodeURIComponent).join('/')}?${params}`;
}

/** What a checked URL allows, or why it allows nothing. */
export type Verdict =
  | { ok: true; method: 'PUT' | 'GET'; key: string; contentType?: string; maxBytes?: number }
  | { ok: false; status: number; code: StorageErrorCode; message: string };

export async function checkSignedRequest(secret: string, request: WireRequest, now: number): Promise<Verdict> {
  const url = new URL(request.url);
  const key = url.pathname.slice(1).split('/').map(decodeURIComponent).join('/');
  const params = url.searchParams;
  const given = params.get(PARAM.signature);
  if (!given) return { ok: false, status: 403, code: 'AccessDenied', message: 'this URL is not signed' };
  const expected = await hmac(secret, canonical(key, params));
  if (!sameText(given, expected)) {
    return { ok: false, status: 403, code: 'SignatureDoesNotMatch', message: 'the signature does not match: the URL was changed after it was signed' };
  }
  const method = params.get(PARAM.method) as 'PUT' | 'GET';
  if (request.method !== method) {
    return { ok: false, status: 405, code: 'MethodNotAllowed', message: `this URL was signed for ${method}, not ${request.method}` };
  }
  if (now > Number(params.get(PARAM.expires))) return { ok: false, status: 403, code: 'AccessDenied', message: 'the URL has expired' };
  const contentType = params.get(PARAM.contentType) ?? undefined;
  const maxBytes = params.has(PARAM.maxBytes) ? Number(params.get(PARAM.maxBytes)) : undefined;
  return { ok: true, method, key, ...(contentType !== undefined ? { contentType } : {}), ...(maxBytes !== undefined ? { maxBytes } : {}) };
}

/** Compares without stopping at the first difference (what a real store does, so timing says nothing). */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** An S3-style error answer: the code in a header and in the body, for tests and for people. */
export function storageError(status: number, code: StorageErrorCode, message: string): WireResponse {
  return {
    status,
    headers: [['content-type', 'text/plain; charset=utf-8'], ['x-storage-error', code]],
    body: new TextEncoder().encode(`${code}: ${message}`),
  };
}
