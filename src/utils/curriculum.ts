// The concepts of factor VI in teaching order (1 to 15, and 6b), each with its kata: PRODUCT.md's curriculum table.
/** A row of the course map: PRODUCT.md numbers them 1 to 15, with 6b between 6 and 7. */
export type ConceptId = number | '6b';

export interface Concept {
  number: ConceptId;
  title: string;
  kata: string;
  /** taught inside another concept's lesson and kata */
  coveredBy?: ConceptId;
}

export const CURRICULUM: readonly Concept[] = [
  { number: 1, title: 'Any process may serve any request', kata: 'Visit counter in a module variable' },
  { number: 2, title: 'Share nothing between processes', kata: 'Per-client rate limiter in a process-local Map' },
  { number: 3, title: 'Persistent data lives in a database', kata: 'Notes API keeping records in an array with ++id' },
  { number: 4, title: 'Sessions belong in a store with time-expiry', kata: 'Login sessions in an in-memory Map' },
  { number: 5, title: 'Sticky sessions are a violation', kata: 'Multi-step checkout that only works behind a sticky balancer' },
  { number: 6, title: 'Uploaded files go to object storage', kata: 'Avatar upload written to ./uploads' },
  { number: '6b', title: 'Let the browser upload straight to storage', kata: 'Upload proxied byte by byte through the web process' },
  { number: 7, title: 'Memory and disk are a brief, single-transaction cache', kata: 'CSV import that leaves a temp file and needs it on the next request' },
  { number: 8, title: 'Caches are hints: never assume one is still there', kata: 'Prices warmed in start() and invalidated only locally' },
  { number: 9, title: 'Any process may die at any moment, mid-request', kata: 'Order endpoint that charges, then records; idempotency keys in a Map' },
  { number: 10, title: 'Compile assets in the build stage, never at run time', kata: 'Asset pipeline that compiles and caches to disk on first request' },
  { number: 11, title: 'Process types: web answers, workers work', kata: 'Thumbnail job run by setTimeout inside the web process' },
  { number: 12, title: 'Scheduled work runs once, not once per process', kata: 'Daily digest sent by setInterval in every process' },
  { number: 13, title: 'Fan-out goes through a broker, not process memory', kata: 'Chat room with an in-process EventEmitter' },
  { number: 14, title: 'WordPress the twelve-factor way', kata: 'A PHP-style app: file sessions, local uploads, page cache on disk, runtime minify, WP-Cron' },
  { number: 15, title: 'Capstone: the litmus test', kata: 'An app with several violations under random kills, deploys and scaling' },
];

/** A concept's place in the course (6b comes between 6 and 7); the CLI and the pages sort by it. */
export function conceptRank(concept: ConceptId): number {
  return CURRICULUM.findIndex((row) => row.number === concept);
}

/** Whether `next` is the concept right after `current` in the course, passing over concepts taught inside another's lesson. */
export function followsInCourse(current: ConceptId, next: ConceptId): boolean {
  const following = CURRICULUM.slice(conceptRank(current) + 1).find((concept) => !concept.coveredBy);
  return following !== undefined && following.number === next;
}
