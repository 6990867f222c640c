// WordPress's scheduler, run the twelve-factor way: page views no longer run it (DISABLE_WP_CRON in
// app.ts); one schedule in the job queue runs it every minute on a worker, as a system cron running
// `wp cron event run --due-now` would. Scheduled posts wait in the cron list (a sorted set: post id by
// the time it is due).
import type { Env } from 'dojo';
import { sendMail } from './mail.ts';
import { purgePageCache } from './page-cache.ts';
import { publishPost } from './posts.ts';

export const MINUTE = 60_000;

/** Puts a scheduled post on the cron list, due at its date. */
export async function schedulePost(env: Env, id: number, date: number): Promise<void> {
  await env.kv.zadd('wp_cron:publish_future_post', date, String(id));
}

/** Declares the schedule that runs WP-Cron every minute: every process may declare it, the queue keeps one. */
export async function scheduleWpCron(env: Env): Promise<void> {
  await env.queue.enqueue('wp-cron', {}, { repeat: { everyMs: MINUTE }, jobId: 'wp-cron' });
}

/** Runs every cron event that is due: publishes each scheduled post and emails the subscribers about it. */
export async function runDueEvents(env: Env): Promise<void> {
  const due = await env.kv.zrange('wp_cron:publish_future_post', '-inf', Date.now(), { BYSCORE: true });
  for (const id of due) {
    // Taking the event off the list is the claim: ZREM answers 1 to one caller only, so a post is
    // announced once even if two runs overlap (a job handed out again, a run that took long).
    if ((await env.kv.zrem('wp_cron:publish_future_post', id)) !== 1) continue;
    const post = await publishPost(env, Number(id));
    if (!post) continue;
    await purgePageCache(env);
    await sendMail(env, { to: 'subscribers@example.com', subject: `New post: ${post.title}`, text: `Read it at /?p=${post.id}` });
  }
}

/** What every page view did before DISABLE_WP_CRON (app.ts); with it set, nothing calls this any more. */
export function spawnCron(env: Env): void {
  runDueEvents(env).catch((error) => console.error('WP-Cron failed:', error));
}
