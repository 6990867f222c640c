// The kata editor's TypeScript setup, in one place: monaco.ts gives it to Monaco, and
// tests/unit/workbench/editor-types.test.ts type-checks every kata against exactly this.
import type { CompilerOptions, DiagnosticsOptions } from 'monaco-editor/languages/features/typescript/register';
import { DOJO_TYPES, NODE_TYPES } from '../engine/learner/editor-types.ts';

export const COMPILER_OPTIONS: CompilerOptions = {
  // Monaco's enum values, written out so that this module loads without Monaco (the test runs in Node):
  target: 99, // ScriptTarget.ESNext
  module: 99, // ModuleKind.ESNext
  moduleResolution: 2, // ModuleResolutionKind.NodeJs
  lib: ['es2022', 'dom', 'dom.iterable'],
  strict: true,
  noEmit: true,
  // `import { charge } from './payments.ts'`: the engine loads a kata's own files by either name, as Node 24 does.
  allowImportingTsExtensions: true,
  allowNonTsExtensions: true,
  esModuleInterop: true,
};

export const DIAGNOSTICS_OPTIONS: DiagnosticsOptions = { noSemanticValidation: false, noSyntaxValidation: false };

/** Declarations the learner's code sees besides the DOM: `import type { Env } from 'dojo'` and the node: modules. */
export const EXTRA_LIBS: { content: string; filePath: string }[] = [
  { content: DOJO_TYPES, filePath: 'file:///node_modules/@types/dojo/index.d.ts' },
  { content: NODE_TYPES, filePath: 'file:///node_modules/@types/dojo-node/index.d.ts' },
];

/** Where a file of the learner's app lives for TypeScript (the URI of its Monaco model). */
export const APP_ROOT = 'file:///app/';
export const appFileUri = (path: string) => `${APP_ROOT}${path}`;
