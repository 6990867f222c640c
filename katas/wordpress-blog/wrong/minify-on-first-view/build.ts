// The build step: it runs once per release, before any process starts, and whatever it writes to `fs`
// is on the disk of every process of that release (and stays there until the next release).
// It does nothing yet.
import type { Env } from 'dojo';
import type * as NodeFs from 'node:fs';

export async function build({ fs, env }: { fs: typeof NodeFs; env: Env }): Promise<void> {}
