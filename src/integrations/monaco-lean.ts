// A Vite plugin that keeps Monaco's TypeScript support from importing every editor feature (see monaco-web-worker.ts).
import type { Plugin } from 'vite';
import { fileURLToPath } from 'node:url';

const REPLACEMENT = fileURLToPath(new URL('../workbench/monaco-web-worker.ts', import.meta.url));

export function monacoLean(): Plugin {
  return {
    name: 'stateless-dojo:monaco-lean',
    enforce: 'pre',
    resolveId(source, importer) {
      // Only the import in Monaco's language features' worker managers; nothing else uses this module.
      if (!source.endsWith('/internal/common/workers.js') || !importer) return null;
      if (!/[\\/]monaco-editor[\\/]esm[\\/]vs[\\/]languages[\\/]features[\\/][^\\/]+[\\/]workerManager\.js$/.test(importer)) return null;
      return REPLACEMENT;
    },
  };
}
