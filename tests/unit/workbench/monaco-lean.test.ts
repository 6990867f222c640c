// The Vite plugin that keeps Monaco's TypeScript support lean still finds the import it replaces in the installed Monaco.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monacoLean } from '../../../src/integrations/monaco-lean.ts';

const monacoRoot = fileURLToPath(new URL('../../../node_modules/monaco-editor/', import.meta.url));
const workerManager = join(monacoRoot, 'esm/vs/languages/features/typescript/workerManager.js');
const replacement = fileURLToPath(new URL('../../../src/workbench/monaco-web-worker.ts', import.meta.url));
const resolve = (source: string, importer: string | undefined) =>
  (monacoLean().resolveId as (source: string, importer: string | undefined) => string | null)(source, importer);

describe('monaco-lean', () => {
  it("redirects the TypeScript worker manager's import of Monaco's internal workers module", () => {
    const imported = readFileSync(workerManager, 'utf8').match(/import \{ createWebWorker \} from '([^']+)'/)?.[1];
    expect(imported, 'Monaco changed how its TypeScript support creates its worker: check monaco-web-worker.ts').toBeDefined();
    expect(resolve(imported!, workerManager)).toBe(replacement);
  });

  it('leaves every other import alone', () => {
    expect(resolve('../../../editor/editor.api.js', workerManager)).toBeNull();
    expect(resolve('../../internal/common/workers.js', join(monacoRoot, 'esm/vs/editor/editor.main.js'))).toBeNull();
    expect(resolve('../../../internal/common/workers.js', undefined)).toBeNull();
  });
});
