// The worker process type: it sends the daily sales report, from the job the queue adds at midnight. Workers can
// be scaled and restarted: the queue hands each day's job to one of them, and again to another if that one dies.
import type { Env, Job } from 'dojo';
import { dayOf, sendReport } from './report.ts';

export default {
  async queue(job: Job, env: Env): Promise<void> {
    // The run added at midnight covers the day that has just ended, even if it runs late.
    const day = dayOf(job.enqueuedAt - 1);
    // The queue delivers at least once: a day already reported is not reported again.
    if (await env.kv.get(`report:sent:${day}`)) return;
    await sendReport(env, day);
    await env.kv.set(`report:sent:${day}`, '1', { EX: 8 * 24 * 60 * 60 });
  },
};
