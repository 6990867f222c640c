// The organiser's daily sales report: how many tickets were sold on a day, emailed once that day has ended.
import type { Env } from 'dojo';
import { sendMail } from './mail.ts';

export const DAY = 24 * 60 * 60 * 1000;

/** The UTC day a time falls on: "2026-01-01". */
export function dayOf(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** Emails the organiser how many tickets were sold on `day`. */
export async function sendReport(env: Env, day: string): Promise<void> {
  const { rows } = await env.db.query('select count(*) as sold from tickets where sold_on = $1', [day]);
  const sold = Number(rows[0]?.sold ?? 0);
  await sendMail(env, { to: 'organiser@example.com', subject: `Ticket sales for ${day}`, text: `${sold} ticket(s) sold on ${day}.` });
}
