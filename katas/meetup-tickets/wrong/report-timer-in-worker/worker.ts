// The worker process type, known wrong: a midnight timer in the worker, as if there were only ever one worker.
import type { Env } from 'dojo';
import { DAY, dayOf, sendReport } from './report.ts';

export default {
  async start(env: Env): Promise<void> {
    // At midnight, and every 24 hours after, report the day that has just ended.
    const report = () => sendReport(env, dayOf(Date.now() - 1)).catch((error) => console.error('no report:', error));
    setTimeout(() => {
      report();
      setInterval(report, DAY);
    }, DAY - (Date.now() % DAY));
  },
};
