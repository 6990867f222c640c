// Monaco, loaded only when the learner starts editing: the editor core and features, TypeScript support, two workers.
import * as monaco from 'monaco-editor/editor';
import './monaco-features.ts';
import 'monaco-editor/languages/definitions/typescript/register';
import { typescriptDefaults } from 'monaco-editor/languages/features/typescript/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker?worker';
import { COMPILER_OPTIONS, DIAGNOSTICS_OPTIONS, EXTRA_LIBS, appFileUri } from './editor-typescript.ts';

(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: (_id, label) => (label === 'typescript' || label === 'javascript' ? new TypeScriptWorker() : new EditorWorker()),
};

typescriptDefaults.setCompilerOptions(COMPILER_OPTIONS);
typescriptDefaults.setDiagnosticsOptions(DIAGNOSTICS_OPTIONS);
typescriptDefaults.setExtraLibs(EXTRA_LIBS);

export { monaco, appFileUri };
