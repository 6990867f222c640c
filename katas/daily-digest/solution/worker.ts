// The worker process type: it runs the daily digest job the queue adds at midnight. Workers can be
// scaled and restarted: the queue hands each day's job to one of them, and again to another if the
// one holding it dies.
import type { Env, Job } from 'dojo';
import { dayOf, sendDigest } from './digest.ts';

const KEEP_MARK_SECONDS = 8 * 24 * 60 * 60;

export default {
  async queue(job: Job, env: Env): Promise<void> {
    // The run added at midnight covers the day that has just ended, even if it runs late.
    const day = dayOf(job.enqueuedAt - 1);
    // The queue delivers at least once: a job whose worker died after sending comes back. A day
    // already marked sent is not sent again.
    if (await env.kv.get(`digest:sent:${day}`)) return;
    await sendDigest(env, day);
    await env.kv.set(`digest:sent:${day}`, '1', { EX: KEEP_MARK_SECONDS });
  },
};
