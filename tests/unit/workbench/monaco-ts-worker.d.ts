// Types for the TypeScript worker class Monaco runs in its ts.worker, which the package ships without declarations.
// The methods are Monaco's own `TypeScriptWorker` interface; the constructor is that of tsWorker.js (Monaco 0.57).
declare module 'monaco-editor/languages/features/typescript/tsWorker' {
  import type { CompilerOptions, IExtraLibs, TypeScriptWorker as Worker } from 'monaco-editor/languages/features/typescript/register';

  /** What the worker reads of an editor model (a "mirror model" inside the web worker). */
  export interface MirrorModel {
    uri: { path: string; toString(skipEncoding?: boolean): string };
    version: number;
    getValue(): string;
  }
  export const TypeScriptWorker: new (
    context: { getMirrorModels(): MirrorModel[] },
    createData: { compilerOptions: CompilerOptions; extraLibs: IExtraLibs },
  ) => Worker;
}
