// Where `dojo/testing`, the test API a kata's tests import, lives: for loaders that cannot find it by package self-reference.
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * Kata tests import `dojo/testing`, as a learner's own tests would. Inside this repository that name resolves
 * by package self-reference (package.json's `name` and `exports`) in Node, Vite and esbuild alike. A kata folder
 * elsewhere (an instructor's own katas, a temp folder in a test) is not inside the package, so each loader is
 * also told where the module is.
 */
export const TESTING_MODULE = 'dojo/testing';
export const TESTING_ENTRY = fileURLToPath(new URL('../testing/index.ts', import.meta.url));

let registered = false;

/** Lets Node's own `import()` resolve `dojo/testing` from any folder (idempotent). */
export function resolveTestingModuleEverywhere(): void {
  if (registered) return;
  registered = true;
  const url = new URL('../testing/index.ts', import.meta.url).href;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === TESTING_MODULE) return { url, shortCircuit: true };
      return nextResolve(specifier, context);
    },
  });
}
