// The temporary folders and child processes of a grading run: removed and stopped however the run ends.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const folders = new Set<string>();
const children = new Set<ChildProcess>();
let installed = false;

/** A fresh folder under the system's temporary folder, removed by cleanUp (and at exit, Ctrl+C or SIGTERM). */
export function tempFolder(prefix: string): string {
  install();
  // The real path: the permission model compares resolved paths (macOS's /var is /private/var).
  const folder = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  folders.add(folder);
  return folder;
}

/** A child to stop if the run is interrupted. */
export function track(child: ChildProcess): void {
  install();
  children.add(child);
  child.once('exit', () => children.delete(child));
}

export function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const folder of folders) {
    // A child killed a moment ago may still be writing into its folder (SIGKILL is delivered, not awaited): the
    // removal then meets ENOTEMPTY, which rmSync retries. Cleaning up must never turn an exit status into a crash.
    try {
      rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    } catch (error) {
      process.stderr.write(`could not remove the temporary folder ${folder}: ${(error as Error).message}\n`);
    }
  }
  folders.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  // 'exit' also runs after an uncaught error; signals end the process without it, hence their own handlers.
  process.on('exit', cleanUp);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(code);
    });
  }
}
