// Parses the argument forms of the Redis-like store that are small languages of their own: stream ids and score bounds.

const INVALID_STREAM_ID = 'ERR Invalid stream ID specified as stream command argument';
const BOUND_NOT_A_FLOAT = 'ERR min or max is not a float';
const INVALID_END_ID = 'ERR invalid end ID for the interval';

/** A stream entry id, `<ms>-<seq>`. Both parts stay within JavaScript's safe integers (Redis allows 64 bits). */
export interface StreamId {
  ms: number;
  seq: number;
}

const MAX_PART = Number.MAX_SAFE_INTEGER;

export function formatId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

export function compareIds(a: StreamId, b: StreamId): number {
  return a.ms - b.ms || a.seq - b.seq;
}

function part(text: string): number {
  if (!/^\d+$/.test(text)) throw new Error(INVALID_STREAM_ID);
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(INVALID_STREAM_ID);
  return n;
}

/** `<ms>-<seq>`, or `<ms>` alone meaning `<ms>-<missingSeq>` (0 in XADD and XREAD; the range's end in XRANGE). */
export function parseStreamId(text: unknown, missingSeq = 0): StreamId {
  if (typeof text !== 'string') throw new TypeError(`kv: a stream id must be a string, got ${typeof text}`);
  const dash = text.indexOf('-');
  if (dash < 0) return { ms: part(text), seq: missingSeq };
  return { ms: part(text.slice(0, dash)), seq: part(text.slice(dash + 1)) };
}

/** An XRANGE end as an inclusive id: `-` and `+` are the ends; `(` excludes the id itself. */
export function parseStreamBound(text: unknown, side: 'start' | 'end'): StreamId {
  if (text === '-') return { ms: 0, seq: 0 };
  if (text === '+') return { ms: MAX_PART, seq: MAX_PART };
  if (typeof text === 'string' && text.startsWith('(')) {
    const id = parseStreamId(text.slice(1), side === 'start' ? 0 : MAX_PART);
    // The next id after (or the last before) the excluded one, so the range stays inclusive.
    if (side === 'start') return id.seq < MAX_PART ? { ms: id.ms, seq: id.seq + 1 } : { ms: id.ms + 1, seq: 0 };
    if (id.ms === 0 && id.seq === 0) throw new Error(INVALID_END_ID);
    return id.seq > 0 ? { ms: id.ms, seq: id.seq - 1 } : { ms: id.ms - 1, seq: MAX_PART };
  }
  return parseStreamId(text, side === 'start' ? 0 : MAX_PART);
}

export function inRange(id: StreamId, from: StreamId, to: StreamId): boolean {
  return compareIds(id, from) >= 0 && compareIds(id, to) <= 0;
}

/** A score bound: a number, or Redis' text form (`'5'`, `'(5'` exclusive, `'-inf'`, `'+inf'`). */
export function parseScoreBound(bound: unknown): { value: number; exclusive: boolean } {
  if (typeof bound === 'number') {
    if (Number.isNaN(bound)) throw new Error(BOUND_NOT_A_FLOAT);
    return { value: bound, exclusive: false };
  }
  if (typeof bound !== 'string') throw new TypeError(`kv: a score bound must be a number or a string, got ${typeof bound}`);
  const exclusive = bound.startsWith('(');
  // Redis reads the number with strtod: leading blanks are skipped, trailing ones are not.
  const text = (exclusive ? bound.slice(1) : bound).toLowerCase().replace(/^[ \t\n\v\f\r]+/, '');
  if (text === 'inf' || text === '+inf') return { value: Infinity, exclusive };
  if (text === '-inf') return { value: -Infinity, exclusive };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(text)) throw new Error(BOUND_NOT_A_FLOAT);
  return { value: Number(text), exclusive };
}
