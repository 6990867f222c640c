// Stands in for monaco-editor's internal `createWebWorker` (internal/common/workers.js) in the TypeScript language
// features: the same function, without that module's side effect of importing and registering every editor feature.
// Those registrations arrive after the first editor exists, so they bloat the bundle and break later editors
// (the diff editor threw "depends on UNKNOWN service"); monaco-features.ts registers the ones we use, up front.
// Wired in by the Vite plugin in src/integrations/monaco-lean.ts.
import { editor, type Environment } from 'monaco-editor/editor';

interface WorkerOptions {
  label?: string;
  moduleId: string;
  createWorker?: () => Worker;
  createData?: unknown;
  host?: Record<string, (...args: unknown[]) => unknown>;
  keepIdleModels?: boolean;
}

export function createWebWorker<T extends object>(options: WorkerOptions): editor.MonacoWebWorker<T> {
  const label = options.label ?? 'monaco-editor-worker';
  const environment = (globalThis as { MonacoEnvironment?: Environment }).MonacoEnvironment;
  const started = environment?.getWorker?.('workerMain.js', label) ?? options.createWorker?.();
  if (!started) throw new Error('MonacoEnvironment.getWorker is not set (see src/workbench/monaco.ts)');
  // Monaco's language workers wait for one message to start, then take their settings (createData) as the next.
  const worker = Promise.resolve(started).then((ready) => {
    ready.postMessage('ignore');
    ready.postMessage(options.createData);
    return ready;
  });
  return editor.createWebWorker<T>({ worker, host: options.host, keepIdleModels: options.keepIdleModels });
}
