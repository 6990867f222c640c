// The worker process type: it sends the digest of the day named in each job. The queue holds one
// job per day (its jobId), and hands it to another worker if the one holding it dies.
import type { Env, Job } from 'dojo';
import { sendDigest } from './digest.ts';

const KEEP_MARK_SECONDS = 8 * 24 * 60 * 60;

export default {
  async queue(job: Job<{ day: string }>, env: Env): Promise<void> {
    const { day } = job.data;
    // Delivered at least once: a job whose worker died after sending comes back, so skip a day marked sent.
    if (await env.kv.get(`digest:sent:${day}`)) return;
    await sendDigest(env, day);
    await env.kv.set(`digest:sent:${day}`, '1', { EX: KEEP_MARK_SECONDS });
  },
};
