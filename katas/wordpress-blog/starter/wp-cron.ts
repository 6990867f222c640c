// WP-Cron: WordPress's scheduler. Scheduled posts wait in the cron list (a sorted set: post id by the
// time it is due). Nothing runs on its own: every page view calls spawnCron, which runs what is due.
import type { Env } from 'dojo';
import { sendMail } from './mail.ts';
import { purgePageCache } from './page-cache.ts';
import { publishPost } from './posts.ts';

/** Puts a scheduled post on the cron list, due at its date. */
export async function schedulePost(env: Env, id: number, date: number): Promise<void> {
  await env.kv.zadd('wp_cron:publish_future_post', date, String(id));
}

let doingCron = false; // one run at a time (WordPress's doing_cron lock)

/** Runs every cron event that is due: publishes each scheduled post and emails the subscribers about it. */
export async function runDueEvents(env: Env): Promise<void> {
  if (doingCron) return;
  doingCron = true;
  try {
    const due = await env.kv.zrange('wp_cron:publish_future_post', '-inf', Date.now(), { BYSCORE: true });
    for (const id of due) {
      const post = await publishPost(env, Number(id));
      if (post) {
        await purgePageCache(env);
        await sendMail(env, { to: 'subscribers@example.com', subject: `New post: ${post.title}`, text: `Read it at /?p=${post.id}` });
      }
      await env.kv.zrem('wp_cron:publish_future_post', id);
    }
  } finally {
    doingCron = false;
  }
}

/** Called on every page view, as wp-cron.php is: runs what is due without making the visitor wait. */
export function spawnCron(env: Env): void {
  runDueEvents(env).catch((error) => console.error('WP-Cron failed:', error));
}
