// The daily digest: what the email says and how it is sent. The worker runs it, once per day.
import type { Env } from 'dojo';
import { sendMail } from './mail.ts';

export const DAY = 24 * 60 * 60 * 1000;

/** The UTC day a time falls on: "2026-01-01". */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Emails the team the digest of one day: who signed up that day. */
export async function sendDigest(env: Env, day: string): Promise<void> {
  const emails = await env.kv.lrange(`signups:${day}`, 0, -1);
  await sendMail(env, {
    to: 'team@example.com',
    subject: `Daily digest for ${day}`,
    text: `${emails.length} new sign-up(s) on ${day}:\n${emails.join('\n')}`,
  });
}
