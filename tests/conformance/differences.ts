// Where our store differs from Redis on purpose: each difference named, explained, and how the suite treats it.

export interface Difference {
  /** what differs, as a learner moving to real Redis would notice it */
  what: string;
  /** why we keep it */
  why: string;
  /** how the conformance suite compares answers it touches */
  suite: string;
  /**
   * Whether a sequence can show it. An observable difference must show up in every step a sequence declares with
   * `t.differs(id, …)`, and the suite fails if it stops showing (the list must not outlive the difference).
   */
  observable: boolean;
}

export const DIFFERENCES = {
  'expiry-at-the-deadline': {
    what: 'A key set with PX 100 is gone when the clock reaches exactly +100 ms; Redis still holds it for that millisecond and drops it from +101.',
    why: 'Katas advance the virtual clock by exactly the TTL and expect the key gone ("EX 1800, advance 30 min: logged out").',
    suite: "Redis's clock never stands still, so the suite waits past each deadline before asking; the exact millisecond is proven by the unit tests only.",
    observable: false,
  },
  'remaining-time-on-a-still-clock': {
    what: 'TTL and PTTL answer from the virtual clock, which moves only when a test advances it; on Redis time runs between two calls.',
    why: 'Exact replay: the same seed gives the same answers on any machine.',
    suite:
      "Redis's PTTL must lie between ours minus the wall time the sequence spent outside advance() (plus 3 ms for Redis' whole milliseconds and clock slewing) and ours; TTL the same after Redis' rounding ((ms + 500) / 1000). Keys read before their deadline must have an hour or more left, so no answer can depend on the machine's speed.",
    observable: false,
  },
  'unordered-replies-come-sorted': {
    what: 'KEYS and SMEMBERS answer sorted; Redis promises no order.',
    why: 'Deterministic answers, so a kata test and its replay see the same array.',
    suite: 'These replies are compared as sets (sorted on both sides).',
    observable: false,
  },
  'patterns-match-characters': {
    what: "In a KEYS pattern, '?' and '[…]' match one character; Redis matches one byte, so its '?' does not match 'é' (two bytes in UTF-8) and '??' does.",
    why: 'Keys are JavaScript strings here; a pattern that splits a character in two would surprise more than it teaches.',
    suite: 'ASCII patterns are compared as they are; the steps that show the difference are declared with it.',
    observable: true,
  },
  'counters-are-safe-integers': {
    what: 'Counters (INCR, INCRBY, HINCRBY) and stream id parts stop at 2^53 - 1 (Number.MAX_SAFE_INTEGER) with Redis\' overflow error; Redis goes on to 2^63 - 1.',
    why: 'Answers are JavaScript numbers; past 2^53 they would silently lose precision, which is worse than an error.',
    suite: 'Sequences stay inside the common range except the steps declared with this difference, which must differ.',
    observable: true,
  },
  'stream-ids-from-the-virtual-clock': {
    what: "XADD with '*' takes the milliseconds of the virtual clock (2026-01-01 at the start of a test), not of the wall clock.",
    why: 'The same run gives the same ids, so a replay and a trace line up.',
    suite: "Sequences compare '*' ids exactly once the stream's last id is ahead of both clocks (Redis then continues the sequence number); a '*' id on a fresh stream is a declared difference.",
    observable: true,
  },
  'replies-as-javascript-values': {
    what: 'Replies are JavaScript values: numbers for scores, objects for hashes and stream fields, { member, score } for WITHSCORES, { key, entries } for XREAD.',
    why: 'What a Node client library (node-redis, ioredis) gives an app, roughly; learners write JavaScript.',
    suite: "The Redis side goes through RespKeyValue, which converts Redis' replies the same way a client library does.",
    observable: false,
  },
  'xrange-count-0': {
    what: 'XRANGE with COUNT 0 answers an empty array; Redis 7.0 answers nil.',
    why: 'The method promises an array of entries; an empty one is what every other empty range answers.',
    suite: 'The step is declared with this difference; the adapter passes Redis\'s nil on unchanged.',
    observable: true,
  },
  'publish-reaches-the-supervisor': {
    what: 'PUBLISH hands the message to the supervisor, which delivers it to subscribed processes and answers how many there were.',
    why: 'Subscriptions belong to processes, which only the supervisor knows; the store keeps no subscribers, as Redis keeps no messages.',
    suite: 'The suite plays the supervisor: it counts subscribers the same way and compares the counts and what each subscriber received.',
    observable: false,
  },
} as const satisfies Record<string, Difference>;

export type DifferenceId = keyof typeof DIFFERENCES;
