// Bundles the process entry into one script, once per run: a worker thread then starts in ~50 ms instead of ~200 ms.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Set by the CLI for its sandboxed self, which may not start esbuild (no child processes): the entry is built already. */
export const PROCESS_ENTRY_FILE_VARIABLE = 'DOJO_PROCESS_ENTRY_FILE';

/** The process entry bundled ahead of time; a bundle (the WebContainer runner) defines it, plain Node leaves it undeclared. */
declare const __DOJO_PROCESS_ENTRY__: string | undefined;

let bundled: Promise<string | undefined> | undefined;

/** CommonJS source of the process entry, or undefined when esbuild is missing (the host then loads the .ts file). */
export function processEntryCode(): Promise<string | undefined> {
  // `typeof` of an undeclared name is 'undefined' rather than a ReferenceError: safe when nothing defined it.
  if (typeof __DOJO_PROCESS_ENTRY__ === 'string') return Promise.resolve(__DOJO_PROCESS_ENTRY__);
  const prebuilt = process.env[PROCESS_ENTRY_FILE_VARIABLE];
  if (prebuilt) return Promise.resolve(readFileSync(prebuilt, 'utf8'));
  bundled ??= (async () => {
    try {
      const { build } = await import('esbuild');
      const result = await build({
        entryPoints: [fileURLToPath(new URL('./process-entry.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'iife', // not cjs: run as a worker's script, a cjs bundle's top-level functions would become globals (ses's lockdown shim then calls itself)
        target: 'node22',
        write: false,
        logLevel: 'silent',
      });
      return result.outputFiles[0]!.text;
    } catch {
      return undefined;
    }
  })();
  return bundled;
}
