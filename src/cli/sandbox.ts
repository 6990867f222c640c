// Runs the CLI again under Node's permission model, so learner code it grades cannot write files, start programs
// or read outside the repository and the learners' folders (it runs in worker threads of this process).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { processEntryCode, PROCESS_ENTRY_FILE_VARIABLE } from '../engine/hosts/node/bundle.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Set to "off" to run without the permission model (debugging the engine itself). */
export const SANDBOX_VARIABLE = 'DOJO_SANDBOX';

export function sandboxed(): boolean {
  return Boolean((process as { permission?: unknown }).permission) || process.env[SANDBOX_VARIABLE] === 'off';
}

/** Relaunch with --permission; `readable` are the learner folders the run must read. Returns the exit code. */
export async function relaunchSandboxed(argv: string[], readable: string[]): Promise<number> {
  // The sandbox may not start esbuild (a child process): bundle the process entry here and hand it over.
  const code = await processEntryCode();
  const env = { ...process.env };
  const allow = [ROOT, ...readable.map((path) => resolve(path))];
  if (code) {
    const file = join(mkdtempSync(join(tmpdir(), 'dojo-entry-')), 'process-entry.cjs');
    writeFileSync(file, code);
    env[PROCESS_ENTRY_FILE_VARIABLE] = file;
    allow.push(file);
  }
  const result = spawnSync(
    process.execPath,
    [
      '--permission',
      ...allow.map((path) => `--allow-fs-read=${path}`),
      '--allow-worker', // each process is a worker thread; workers inherit these same limits
      '--disable-warning=SecurityWarning',
      ...process.execArgv,
      process.argv[1]!,
      ...argv,
    ],
    { stdio: 'inherit', env },
  );
  if (result.error) throw result.error;
  return result.status ?? 2;
}
