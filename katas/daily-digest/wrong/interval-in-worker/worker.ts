// The worker process type: it sends the daily digest, with the timer the web processes had.
// Wrong: there are as many timers as workers, and workers are scaled like any other process type.
import type { Env } from 'dojo';
import { dayOf, sendDigest } from './app.ts';

const DAY = 24 * 60 * 60 * 1000;

export default {
  async start(env: Env): Promise<void> {
    // Every 24 hours, send the digest of the day that has just ended.
    setInterval(() => {
      sendDigest(env, dayOf(Date.now() - DAY)).catch((error) => console.error('the digest was not sent:', error));
    }, DAY);
  },
};
