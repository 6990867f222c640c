// Monaco, loaded only when the learner starts editing: the editor core, TypeScript support, and its two workers.
import * as monaco from 'monaco-editor/editor';
import './monaco-features.ts';
import 'monaco-editor/languages/definitions/typescript/register';
import {
  typescriptDefaults,
  ModuleKind,
  ModuleResolutionKind,
  ScriptTarget,
} from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import { DOJO_TYPES, NODE_TYPES } from '../engine/learner/editor-types.ts';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker()),
};

typescriptDefaults.setCompilerOptions({
  target: ScriptTarget.ESNext,
  module: ModuleKind.ESNext,
  moduleResolution: ModuleResolutionKind.NodeJs,
  lib: ['es2022', 'dom', 'dom.iterable'],
  strict: true,
  noEmit: true,
  allowNonTsExtensions: true,
  esModuleInterop: true,
});
typescriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false });
typescriptDefaults.addExtraLib(DOJO_TYPES, 'file:///node_modules/@types/dojo/index.d.ts');
typescriptDefaults.addExtraLib(NODE_TYPES, 'file:///node_modules/@types/dojo-node/index.d.ts');

export { monaco };
