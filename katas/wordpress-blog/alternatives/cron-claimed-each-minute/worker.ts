// The worker process type: nothing to do here; the web processes run WP-Cron (see wp-cron.ts).
export default {};
