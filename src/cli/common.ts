// What the kata CLI's commands share: the usage error (exit 2) and writing the final report, never cut short.
import { writeFile } from 'node:fs/promises';

/** The command line itself is wrong: the message is printed with the usage, and the exit code is 2. */
export class UsageError extends Error {}

/** The final report, written by this process only: to --out when given, and to stdout, drained before the end. */
export async function emit(text: string, out: string | undefined): Promise<void> {
  const body = text.endsWith('\n') ? text : `${text}\n`; // CSV ends its own last line (with CRLF)
  if (out) await writeFile(out, body);
  await new Promise<void>((done, fail) => process.stdout.write(body, (error) => (error ? fail(error) : done())));
}
