// Every kata's code type-checks in the kata editor as the engine runs it: Monaco's own TypeScript (the one its
// ts.worker bundles, with its lib files) and the editor's own setup (editor-typescript.ts: options, `dojo`, node:).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TypeScriptWorker, type MirrorModel } from 'monaco-editor/languages/features/typescript/tsWorker';
import type { Diagnostic } from 'monaco-editor/languages/features/typescript/register';
import { APP_ROOT, COMPILER_OPTIONS, DIAGNOSTICS_OPTIONS, EXTRA_LIBS, appFileUri } from '../../../src/workbench/editor-typescript.ts';
import { overSolution } from '../../../src/engine/kata/assemble.ts';

const KATAS = 'katas';
const ERROR = 1; // typescript.DiagnosticCategory.Error (0 is Warning; suggestions and messages are not problems)
const WARNING = 0;

/** One TypeScript worker, as in the editor; each check replaces the app's files (the models) with new versions. */
let models: MirrorModel[] = [];
let version = 0;
const worker = new TypeScriptWorker(
  { getMirrorModels: () => models },
  { compilerOptions: COMPILER_OPTIONS, extraLibs: Object.fromEntries(EXTRA_LIBS.map(({ filePath, content }) => [filePath, { content, version: 1 }])) },
);

/** The problems the editor would mark in these files: its diagnostics options decide which kinds it asks for. */
async function problems(files: Record<string, string>): Promise<string[]> {
  version += 1;
  models = Object.entries(files).map(([path, text]) => ({
    uri: { path: new URL(appFileUri(path)).pathname, toString: () => appFileUri(path) },
    version,
    getValue: () => text,
  }));
  const found: string[] = [];
  for (const path of Object.keys(files)) {
    const uri = appFileUri(path);
    const diagnostics: Diagnostic[] = [
      ...(DIAGNOSTICS_OPTIONS.noSyntaxValidation ? [] : await worker.getSyntacticDiagnostics(uri)),
      ...(DIAGNOSTICS_OPTIONS.noSemanticValidation ? [] : await worker.getSemanticDiagnostics(uri)),
    ].filter((diagnostic) => !(DIAGNOSTICS_OPTIONS.diagnosticCodesToIgnore ?? []).includes(diagnostic.code));
    for (const diagnostic of diagnostics.filter((d) => d.category === ERROR || d.category === WARNING)) {
      const { line, column } = position(files[path]!, diagnostic.start ?? 0);
      const text = typeof diagnostic.messageText === 'string' ? diagnostic.messageText : diagnostic.messageText.messageText;
      found.push(`${path}:${line}:${column} TS${diagnostic.code} ${text}`);
    }
  }
  return found;
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** All files of a kata folder (starter, solution, alternatives/<name>, wrong/<name>), by their path in the app. */
function filesOf(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full, `${prefix}${name}/`);
      else if (/\.[cm]?[jt]s$/.test(name)) files[`${prefix}${name}`] = readFileSync(full, 'utf8');
    }
  };
  walk(folder, '');
  return files;
}

const subfolders = (dir: string) => {
  try {
    return readdirSync(dir).filter((name) => statSync(join(dir, name)).isDirectory()).sort();
  } catch {
    return [];
  }
};

const variants = subfolders(KATAS).flatMap((kata) => [
  `${kata}/starter`,
  `${kata}/solution`,
  ...subfolders(join(KATAS, kata, 'alternatives')).map((name) => `${kata}/alternatives/${name}`),
  ...subfolders(join(KATAS, kata, 'wrong')).map((name) => `${kata}/wrong/${name}`),
]);

describe("the kata editor's TypeScript", () => {
  it('accepts its own compiler options', async () => {
    await problems({ 'app.ts': 'export {};\n' });
    expect(await worker.getCompilerOptionsDiagnostics(appFileUri('app.ts'))).toEqual([]);
  });

  it('finds the katas (the list below is not empty by accident)', () => {
    expect(variants.filter((variant) => variant.endsWith('/solution')).length).toBeGreaterThanOrEqual(3);
    expect(APP_ROOT).toBe('file:///app/');
  });

  // Wrong variants are wrong in behaviour (state kept in the process), not in types: none is meant to fail to compile.
  it.each(variants)('%s type-checks without errors', async (variant) => {
    // A variant folder holds only the files it changes; the rest are the solution's (see overSolution).
    const [kata, kind] = variant.split('/');
    const own = filesOf(join(KATAS, variant));
    const files = kind === 'wrong' || kind === 'alternatives' ? overSolution(filesOf(join(KATAS, kata!, 'solution')), own) : own;
    expect(Object.keys(files).length).toBeGreaterThan(0);
    expect(await problems(files)).toEqual([]);
  });

  it("takes a stored object's body and a file's bytes as a Response body, as the engine does", async () => {
    const app = [
      "import type { Env } from 'dojo';",
      "import { readFileSync } from 'node:fs';",
      "import { readFile } from 'node:fs/promises';",
      'export default {',
      '  async fetch(request: Request, env: Env): Promise<Response> {',
      "    const stored = await env.objects.get('avatars/ada');",
      "    if (!stored) return new Response(readFileSync('./fallback.png'));",
      "    await crypto.subtle.digest('SHA-256', stored.body);",
      '    new Blob([stored.body]);',
      "    new Response(await readFile('./fallback.png'));",
      "    return new Response(stored.body, { headers: { 'content-type': stored.contentType } });",
      '  },',
      '};',
    ].join('\n');
    expect(await problems({ 'app.ts': app })).toEqual([]);
  });

  it('flags a method the kata API does not have, where it is', async () => {
    const app = "import type { Env } from 'dojo';\nexport async function count(env: Env) {\n  return env.kv.increment('visits');\n}\n";
    expect(await problems({ 'app.ts': app })).toEqual([
      expect.stringMatching(/^app\.ts:3:17 TS\d+ Property 'increment' does not exist on type 'KeyValue'/),
    ]);
  });
});
