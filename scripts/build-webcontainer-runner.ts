// Builds public/webcontainer/runner.mjs: one self-contained Node script (engine, every kata's tests, process entry) for WebContainer.
import { build } from 'esbuild';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listKatas, loadKata } from '../src/engine/kata/load-node.ts';
import { KataError } from '../src/engine/kata/kata.ts';
import { platformOf } from '../src/engine/kata/platform.ts';
import { TESTING_ENTRY, TESTING_MODULE } from '../src/engine/kata/testing-module.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = join(ROOT, 'src/engine/hosts/webcontainer');

/** WebContainer's Node lags the current release: keep the syntax it can run. */
const TARGET = 'node18';

export interface BuildRunnerOptions {
  /** where to write the runner (default public/webcontainer/runner.mjs) */
  outFile?: string;
  /** the katas folder (default katas/) */
  katasDir?: string;
  minify?: boolean;
}

export interface BuiltRunner {
  outFile: string;
  bytes: number;
  katas: string[];
  /** slug → why the kata could not be loaded (the runner refuses to run those, with this message) */
  broken: Record<string, string>;
}

export async function buildWebContainerRunner(options: BuildRunnerOptions = {}): Promise<BuiltRunner> {
  const outFile = resolve(options.outFile ?? join(ROOT, 'public/webcontainer/runner.mjs'));
  const katasDir = resolve(options.katasDir ?? join(ROOT, 'katas'));
  const minify = options.minify ?? true;

  // The process entry, bundled now and embedded as a string: the runner must not need esbuild at run time.
  const entry = await build({
    entryPoints: [join(ROOT, 'src/engine/hosts/node/process-entry.ts')],
    bundle: true, platform: 'node', format: 'iife', target: TARGET, minify, write: false, logLevel: 'silent',
  });

  // Each kata is loaded and checked here, as the CLI does; the runner then only needs its metadata and tests.
  const slugs = await listKatas(katasDir);
  const imports: string[] = [];
  const table: string[] = [];
  const broken: Record<string, string> = {};
  for (const [i, slug] of slugs.entries()) {
    let meta;
    try {
      ({ meta } = await loadKata(slug, katasDir));
    } catch (error) {
      if (!(error instanceof KataError)) throw error;
      broken[slug] = error.message;
      table.push(`  ${JSON.stringify(slug)}: { broken: ${JSON.stringify(error.message)} },`);
      continue;
    }
    const tests = join(katasDir, slug, 'tests');
    imports.push(`import * as sample${i} from ${JSON.stringify(join(tests, 'sample.ts'))};`);
    imports.push(`import * as hidden${i} from ${JSON.stringify(join(tests, 'hidden.ts'))};`);
    const needed = platformOf(meta);
    table.push(`  ${JSON.stringify(slug)}: { meta: ${JSON.stringify(needed)}, sample: sample${i}, hidden: hidden${i} },`);
  }
  const contents = [
    `import { main } from ${JSON.stringify(join(SOURCE, 'runner.ts'))};`,
    ...imports,
    `main({\n${table.join('\n')}\n});`,
  ].join('\n');

  await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: 'webcontainer-runner-entry.ts', loader: 'ts' },
    outfile: outFile,
    bundle: true, platform: 'node', format: 'esm', target: TARGET, minify, logLevel: 'silent',
    // Dependencies published as CommonJS may `require` Node's modules, which an ES module has no `require` for.
    banner: { js: "import { createRequire as __dojoRequire } from 'node:module'; const require = __dojoRequire(import.meta.url);" },
    define: { __DOJO_PROCESS_ENTRY__: JSON.stringify(entry.outputFiles[0]!.text) },
    // Kata tests import `dojo/testing`; a katas folder outside this package cannot find it by self-reference.
    alias: { '@electric-sql/pglite': join(SOURCE, 'no-pglite.ts'), [TESTING_MODULE]: TESTING_ENTRY },
    // Only reached when no process entry is embedded, which never happens in this bundle.
    external: ['esbuild'],
  });
  return { outFile, bytes: (await stat(outFile)).size, katas: slugs, broken };
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const started = performance.now();
  const built = await buildWebContainerRunner();
  console.log(`${built.outFile}: ${(built.bytes / 1024).toFixed(1)} KiB, ${built.katas.length} katas (${built.katas.join(', ')}), ${Math.round(performance.now() - started)} ms`);
  for (const [slug, message] of Object.entries(built.broken)) console.warn(`warning: ${slug} is broken, the runner will refuse it: ${message}`);
}
