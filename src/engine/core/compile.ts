// Turns the learner's TypeScript files into CommonJS modules once per run, with file:line:column on errors, and
// instruments them to count their steps (see instrument.ts).
import { transform } from 'sucrase';
import { instrument, ReservedNameError } from './instrument.ts';

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

export class CompileError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics[0]!;
    super(`${first.file}:${first.line}:${first.column} ${first.message}`);
    this.name = 'CompileError';
    this.diagnostics = diagnostics;
  }
}

const COMPILED = /\.(ts|js|mts|mjs)$/;

/** Compile every code file; report every file's syntax error at once so the editor can mark them all. */
export function compileFiles(files: Record<string, string>): Record<string, string> {
  const modules: Record<string, string> = {};
  const diagnostics: Diagnostic[] = [];
  for (const [file, source] of Object.entries(files)) {
    if (!COMPILED.test(file)) continue;
    try {
      const { code } = transform(source, {
        transforms: ['typescript', 'imports'],
        filePath: file,
        disableESTransforms: true,
        keepUnusedImports: false,
      });
      modules[file] = instrument(code);
    } catch (error) {
      if (error instanceof ReservedNameError) {
        // The compiler keeps lines, not columns: find the name on the learner's own line.
        const { line, name } = error.where;
        const at = source.split('\n')[line - 1]?.indexOf(name) ?? -1;
        diagnostics.push({ file, line, column: at >= 0 ? at + 1 : error.where.column, message: error.message });
      } else diagnostics.push(toDiagnostic(file, error));
    }
  }
  if (diagnostics.length > 0) throw new CompileError(diagnostics);
  return modules;
}

function toDiagnostic(file: string, error: unknown): Diagnostic {
  const loc = (error as { loc?: { line: number; column: number } }).loc;
  const raw = error instanceof Error ? error.message : String(error);
  // sucrase says "Error transforming app.ts: Unexpected token (3:5)": keep the part a learner needs.
  const message = raw.replace(/^Error transforming [^:]*: /, '').replace(/\s*\(\d+:\d+\)$/, '');
  return { file, line: loc?.line ?? 1, column: Math.max(1, loc?.column ?? 1), message: `syntax error: ${message}` };
}
