// The mail provider's client. Leave this file as it is: the tests read the provider's outbox.
// Sending takes the provider 2 seconds; an email counts as sent once it is in the outbox.
import type { Env } from 'dojo';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** How long the provider takes to accept an email. */
export const SEND_MS = 2_000;

/** Sends an email; resolves once the provider has accepted it. */
export async function sendMail(env: Env, mail: Mail): Promise<void> {
  await sleep(SEND_MS); // the call to the provider's API
  await env.kv.rpush('mail:outbox', JSON.stringify({ ...mail, sentAt: new Date(Date.now()).toISOString() }));
}
