// The twelve concepts of factor VI in teaching order, with the kata each one pairs with (see PRODUCT.md).
export interface Concept {
  number: number;
  title: string;
  kata: string;
  /** taught inside another concept's lesson and kata */
  coveredBy?: number;
}

export const CURRICULUM: readonly Concept[] = [
  { number: 1, title: 'Any process may serve any request', kata: 'Visit counter in a module variable' },
  { number: 2, title: 'Share nothing between processes', kata: 'Rate limiter in process memory' },
  { number: 3, title: 'Persistent data lives in a database', kata: 'Notes API in an in-memory array' },
  { number: 4, title: 'Sessions belong in a store with expiry; sticky sessions are a violation', kata: 'Login sessions and a checkout that needs sticky routing' },
  { number: 5, title: 'Sticky sessions are a violation', kata: 'Checkout form that only works with sticky routing', coveredBy: 4 },
  { number: 6, title: 'Uploads go to object storage', kata: 'Avatar upload written to ./uploads' },
  { number: 7, title: 'Memory and disk are a single-transaction cache', kata: 'Import job that leaves temp files behind' },
  { number: 8, title: 'Never assume an earlier cache is still there', kata: 'Report cached at warm-up' },
  { number: 9, title: 'Kill any process at any time without losing data', kata: 'Analytics buffered in memory, flushed by a timer' },
  { number: 10, title: 'Compile assets in the build stage', kata: 'Asset pipeline that compiles on first request' },
  { number: 11, title: 'Web and worker processes scale independently', kata: 'Job queue in the web process' },
  { number: 12, title: 'Capstone: the litmus test', kata: 'Several violations under random kills' },
];
