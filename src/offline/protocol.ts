// What the pages and the service worker (src/offline/service-worker.ts) say to each other.

export type ToServiceWorker =
  /** the learner chose to reload into the new build (the update notice) */
  | { type: 'skip-waiting' }
  /** how much of this build is kept (answered on the message's port with an OfflineStatus) */
  | { type: 'status' }
  /** a kata run started in this page: hold the download of the site until 'resume' (or the pause lapses) */
  | { type: 'pause' }
  /** this page is quiet again */
  | { type: 'resume' };

export interface OfflineStatus {
  /** the build this service worker keeps */
  version: string;
  /** files in the build's precache list */
  total: number;
  /** of those, how many are in this browser's cache now */
  cached: number;
  /** bytes this site keeps in this browser, where the browser tells */
  usage: number | null;
}
