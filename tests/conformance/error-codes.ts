// Names the class of a Redis error reply with a code, so the suite compares what kind of error, not its English.

/** Known Redis error replies (7.x wording), by the start of their message. First match wins. */
const CLASSES: [code: string, start: string][] = [
  ['WRONGTYPE', 'WRONGTYPE '],
  ['NOT_AN_INTEGER', 'ERR value is not an integer or out of range'],
  ['HASH_NOT_AN_INTEGER', 'ERR hash value is not an integer'],
  ['OVERFLOW', 'ERR increment or decrement would overflow'],
  ['LIMIT_WITHOUT_BYSCORE', 'ERR syntax error, LIMIT is only supported'],
  ['SYNTAX', 'ERR syntax error'],
  ['INVALID_EXPIRE', 'ERR invalid expire time'],
  ['WRONG_ARITY', 'ERR wrong number of arguments'],
  ['NOT_A_FLOAT', 'ERR value is not a valid float'],
  ['BOUND_NOT_A_FLOAT', 'ERR min or max is not a float'],
  ['STREAM_ID_ZERO', 'ERR The ID specified in XADD must be greater than 0-0'],
  ['STREAM_ID_TOO_SMALL', 'ERR The ID specified in XADD is equal or smaller'],
  ['STREAM_ID_INVALID', 'ERR Invalid stream ID'],
  ['INVALID_END_ID', 'ERR invalid end ID for the interval'],
  ['MAXLEN_NEGATIVE', 'ERR The MAXLEN argument must be >= 0'],
];

/** The code of an error message; an unknown one keeps its text, so two unknowns still compare (and show up). */
export function errorCode(message: string): string {
  return CLASSES.find(([, start]) => message.startsWith(start))?.[0] ?? `UNKNOWN: ${message}`;
}
