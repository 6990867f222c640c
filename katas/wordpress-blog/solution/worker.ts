// The worker process type: the system cron of this blog. The queue hands it the WP-Cron job once a
// minute (the schedule app.ts declares), and it runs the events that are due.
import type { Env, Job } from 'dojo';
import { runDueEvents } from './wp-cron.ts';

export default {
  async queue(job: Job, env: Env): Promise<void> {
    await runDueEvents(env);
  },
};
