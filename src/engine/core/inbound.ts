// Checks every message a process sends before the supervisor acts on it: a process is learner code's, so a
// malformed or oversized message is that process crashing (with a reason), never the supervisor's or grader's crash.
import type { FromProcess, PendingTimer, WireError, WireResponse } from '../process/protocol.ts';
import { LOG_LIMITS, MAX_PENDING_TIMERS, STREAM_LIMITS } from './limits.ts';

export const INBOUND_LIMITS = {
  /** a response body, as a platform's proxy would cap it */
  bodyBytes: 10 * 1024 * 1024,
  headerBytes: 64 * 1024,
  headerCount: 200,
  /** the disk the build step leaves for every process */
  diskBytes: 50 * 1024 * 1024,
  errorChars: 4000,
};

export type Checked = { ok: true; message: FromProcess } | { ok: false; reason: string };

const isInt = (value: unknown): value is number => Number.isSafeInteger(value);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
/** a work report (steps since the last one), kept only when it is a count: anything else is dropped, not trusted */
const work = (raw: unknown) => (isInt(raw) && raw >= 0 ? { work: raw } : {});
const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

class Malformed extends Error {}
function need(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new Malformed(reason);
}

export function checkInbound(raw: unknown): Checked {
  try {
    return { ok: true, message: check(raw) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.message };
    throw error;
  }
}

function check(raw: unknown): FromProcess {
  need(isRecord(raw) && typeof raw.t === 'string', 'sent the supervisor a message that is not one it knows');
  const m = raw;
  switch (m.t) {
    case 'ready':
      return { t: 'ready', consumer: m.consumer === true, ...work(m.work) };
    case 'stopped':
      return { t: 'stopped' };
    case 'job-done':
      need(isInt(m.delivery), 'finished a job without saying which');
      return { t: 'job-done', delivery: m.delivery as number };
    case 'job-error':
      need(isInt(m.delivery), 'reported a failed job without saying which');
      return { t: 'job-error', delivery: m.delivery as number, error: wireError(m.error) };
    case 'idle':
      need(isInt(m.seen) && Array.isArray(m.timers ?? []), 'sent a malformed idle report');
      return { t: 'idle', seen: m.seen as number, timers: timers((m.timers as unknown[] | undefined) ?? []) };
    case 'exit':
      return { t: 'exit', code: isInt(m.code) ? m.code : 1 };
    case 'boot-error':
    case 'build-error':
      return { t: m.t, error: wireError(m.error) };
    case 'fatal':
      return { t: 'fatal', error: wireError(m.error), cause: m.cause === 'rejection' ? 'rejection' : 'uncaught' };
    case 'runaway':
      need(m.kind === 'steps' || m.kind === 'calls' || m.kind === 'memory', 'sent a malformed runaway report');
      return { t: 'runaway', kind: m.kind, limit: isInt(m.limit) ? m.limit : 0, error: wireError(m.error) };
    case 'request-error':
      need(isInt(m.id), 'sent an error for a request without an id');
      return { t: 'request-error', id: m.id as number, error: wireError(m.error) };
    case 'response':
      need(isInt(m.id), 'sent a response without a request id');
      return { t: 'response', id: m.id as number, response: response(m.response), ...work(m.work) };
    case 'stream':
      need(isInt(m.id), 'opened a stream without a request id');
      return { t: 'stream', id: m.id as number, response: response(m.response) };
    case 'chunk':
      need(isInt(m.id) && m.bytes instanceof Uint8Array, 'sent a malformed stream chunk');
      need((m.bytes as Uint8Array).byteLength <= STREAM_LIMITS.bytes, `sent a stream chunk larger than ${mb(STREAM_LIMITS.bytes)}`);
      return { t: 'chunk', id: m.id as number, bytes: m.bytes as Uint8Array };
    case 'stream-end':
      need(isInt(m.id), 'ended a stream without saying which');
      return {
        t: 'stream-end', id: m.id as number,
        ...(m.error !== undefined ? { error: wireError(m.error) } : {}),
        ...(m.limit === 'bytes' || m.limit === 'chunks' ? { limit: m.limit } : {}),
      };
    case 'call':
      need(isInt(m.cid) && typeof m.service === 'string' && typeof m.method === 'string' && Array.isArray(m.args),
        'sent a malformed backing-service call');
      return { t: 'call', cid: m.cid as number, service: m.service as string, method: m.method as string, args: m.args as unknown[] };
    case 'log': {
      need(typeof m.level === 'string' && typeof m.text === 'string', 'sent a malformed console line');
      const text = m.text as string;
      const capped = text.length > LOG_LIMITS.charsPerLine
        ? `${text.slice(0, LOG_LIMITS.charsPerLine)}… (${text.length - LOG_LIMITS.charsPerLine} more characters)` : text;
      return { t: 'log', level: ['log', 'info', 'warn', 'error', 'debug'].includes(m.level as string) ? m.level as string : 'log', text: capped };
    }
    case 'built':
      return { t: 'built', disk: disk(m.disk, 'from its build; the most a release may hold is'), ...work(m.work) };
    case 'disk':
      need(isInt(m.ask), 'answered a look at its disk without saying which');
      return { t: 'disk', ask: m.ask as number, files: disk(m.files, 'on its local disk; the most a test can look at is') };
    default:
      throw new Malformed('sent the supervisor a message that is not one it knows');
  }
}

function disk(raw: unknown, most: string): Record<string, Uint8Array> {
  need(isRecord(raw), 'sent a malformed disk');
  let total = 0;
  for (const [file, data] of Object.entries(raw)) {
    need(data instanceof Uint8Array, `left a file the platform cannot read (${file.slice(0, 100)})`);
    total += data.byteLength;
  }
  need(total <= INBOUND_LIMITS.diskBytes, `left ${mb(total)} of files ${most} ${mb(INBOUND_LIMITS.diskBytes)}`);
  return raw as Record<string, Uint8Array>;
}

function timers(raw: unknown[]): PendingTimer[] {
  need(raw.length <= MAX_PENDING_TIMERS, `reported more than ${MAX_PENDING_TIMERS} pending timers`);
  return raw.map((timer) => {
    need(isRecord(timer) && isInt(timer.id) && isInt(timer.at) && isInt(timer.delay) && (timer.every === undefined || isInt(timer.every)),
      'reported a malformed timer');
    return {
      id: timer.id, at: timer.at, delay: timer.delay, ...(timer.every !== undefined ? { every: timer.every as number } : {}),
      ...(typeof timer.file === 'string' && isInt(timer.line) ? { file: timer.file.slice(0, 200), line: timer.line } : {}),
    } as PendingTimer;
  });
}

function response(raw: unknown): WireResponse {
  need(isRecord(raw), 'sent a malformed response');
  need(isInt(raw.status) && (raw.status as number) >= 100 && (raw.status as number) <= 599, 'answered with an invalid status code');
  need(Array.isArray(raw.headers), 'answered with malformed headers');
  const headers = raw.headers as unknown[];
  need(headers.length <= INBOUND_LIMITS.headerCount, `answered with ${headers.length} headers; the most a response may carry is ${INBOUND_LIMITS.headerCount}`);
  let headerBytes = 0;
  for (const header of headers) {
    need(Array.isArray(header) && header.length === 2 && typeof header[0] === 'string' && typeof header[1] === 'string', 'answered with malformed headers');
    headerBytes += (header[0] as string).length + (header[1] as string).length;
  }
  need(headerBytes <= INBOUND_LIMITS.headerBytes, `answered with ${Math.round(headerBytes / 1024)} KB of headers; the most a response may carry is ${INBOUND_LIMITS.headerBytes / 1024} KB`);
  need(raw.body instanceof Uint8Array, 'answered with a malformed body');
  need(raw.body.byteLength <= INBOUND_LIMITS.bodyBytes,
    `answered with a body of ${mb(raw.body.byteLength)}; the most a response may carry is ${mb(INBOUND_LIMITS.bodyBytes)}`);
  return { status: raw.status as number, headers: headers as [string, string][], body: raw.body };
}

function wireError(raw: unknown): WireError {
  if (!isRecord(raw)) return { name: 'Error', message: 'an error the platform could not read' };
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value.slice(0, INBOUND_LIMITS.errorChars) : fallback);
  return {
    name: text(raw.name, 'Error'),
    message: text(raw.message, ''),
    ...(typeof raw.file === 'string' ? { file: raw.file.slice(0, 200) } : {}),
    ...(isInt(raw.line) ? { line: raw.line } : {}),
    ...(isInt(raw.column) ? { column: raw.column } : {}),
    ...(typeof raw.stack === 'string' ? { stack: raw.stack.slice(0, INBOUND_LIMITS.errorChars) } : {}),
  };
}
