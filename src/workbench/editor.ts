// The code editor behind one interface: a plain textarea at first (no JavaScript to wait for), Monaco once loaded.
import type { Files } from './persistence.ts';
import type { Diagnostic } from '../engine/core/compile.ts';
import { toProblems, type Problem } from './problems.ts';
import { applyDeferredStyles } from './deferred-styles.ts';

export interface CodeEditor {
  readonly kind: 'textarea' | 'monaco';
  files(): Files;
  setFiles(files: Files): void;
  open(path: string): void;
  /** syntax errors from the engine, shown at their line and column */
  mark(diagnostics: Diagnostic[]): void;
  /** put the cursor at a line and column of the open file (1-based), and focus the editor there */
  reveal(line: number, column: number): void;
  focus(): void;
  dispose(): void;
}

export interface EditorEvents {
  onChange(files: Files): void;
  /** Ctrl/Cmd+Enter inside the editor */
  onRun(): void;
  /** what the editor marks in the learner's files (TypeScript's checks and the engine's), whenever that changes */
  onProblems?(problems: Problem[]): void;
}

/** The textarea editor: fully usable with a keyboard and a screen reader; Tab moves focus as everywhere else. */
export function textareaEditor(textarea: HTMLTextAreaElement, initial: Files, active: string, events: EditorEvents): CodeEditor {
  let files = { ...initial };
  let path = active;
  textarea.value = files[path] ?? '';
  const input = () => {
    files = { ...files, [path]: textarea.value };
    events.onChange(files);
  };
  textarea.addEventListener('input', input);
  return {
    kind: 'textarea',
    files: () => ({ ...files }),
    setFiles(next) {
      files = { ...next };
      textarea.value = files[path] ?? '';
    },
    open(next) {
      path = next;
      textarea.value = files[path] ?? '';
    },
    mark(diagnostics) {
      const first = diagnostics.find((diagnostic) => diagnostic.file === path);
      textarea.setAttribute('aria-invalid', String(Boolean(first)));
    },
    reveal(line, column) {
      const lines = textarea.value.split('\n');
      const offset = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1;
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
    },
    focus: () => textarea.focus(),
    dispose: () => textarea.removeEventListener('input', input),
  };
}

/** Monaco with one model per file, TypeScript checking against the kata's API, and our markers for engine errors. */
export async function monacoEditor(container: HTMLElement, initial: Files, active: string, events: EditorEvents): Promise<CodeEditor> {
  const [{ monaco, appFileUri }] = await Promise.all([import('./monaco.ts'), applyDeferredStyles()]);
  const models = new Map<string, import('monaco-editor/editor').editor.ITextModel>();
  const modelFor = (path: string, text: string) => {
    const uri = monaco.Uri.parse(appFileUri(path));
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(text, 'typescript', uri);
    if (model.getValue() !== text) model.setValue(text);
    models.set(path, model);
    return model;
  };
  for (const [path, text] of Object.entries(initial)) modelFor(path, text);
  const theme = () => (document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs');
  const editor = monaco.editor.create(container, {
    model: models.get(active) ?? null,
    theme: theme(),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 14,
    scrollBeyondLastLine: false,
    tabSize: 2,
    ariaLabel: `Code editor. Press Control+M (Control+Shift+M on a Mac) to make Tab move focus out of the editor.`,
    accessibilitySupport: 'auto',
    // Monaco 0.56+ reads keys through Chromium's EditContext by default, still marked experimental; it lost a whole
    // typed line once on a busy CI machine (the run then tested the code from before). The textarea is proven input.
    editContext: false,
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => events.onRun());
  const current = () => {
    const files: Files = {};
    for (const [path, model] of models) files[path] = model.getValue();
    return files;
  };
  const listeners = [...models.values()].map((model) => model.onDidChangeContent(() => events.onChange(current())));
  const themeWatch = new MutationObserver(() => monaco.editor.setTheme(theme()));
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  // Markers come from TypeScript (owner 'typescript') and from our engine (owner 'dojo', in mark() below).
  const fileOf = (uri: string) => [...models].find(([, model]) => model.uri.toString() === uri)?.[0];
  const reportProblems = () => events.onProblems?.(toProblems(monaco.editor.getModelMarkers({}), fileOf));
  const markerWatch = monaco.editor.onDidChangeMarkers(reportProblems);
  reportProblems();
  return {
    kind: 'monaco',
    files: current,
    setFiles(files) {
      for (const [path, text] of Object.entries(files)) {
        if (!models.has(path)) listeners.push(modelFor(path, text).onDidChangeContent(() => events.onChange(current())));
        else modelFor(path, text);
      }
    },
    open(path) {
      const model = models.get(path);
      if (model) editor.setModel(model);
    },
    mark(diagnostics) {
      for (const [path, model] of models) {
        monaco.editor.setModelMarkers(model, 'dojo', diagnostics
          .filter((diagnostic) => diagnostic.file === path)
          .map((diagnostic) => ({
            severity: monaco.MarkerSeverity.Error,
            message: diagnostic.message,
            startLineNumber: diagnostic.line,
            startColumn: diagnostic.column,
            endLineNumber: diagnostic.line,
            endColumn: diagnostic.column + 1,
          })));
      }
    },
    reveal(line, column) {
      editor.setPosition({ lineNumber: line, column });
      editor.revealPositionInCenterIfOutsideViewport({ lineNumber: line, column });
      editor.focus();
    },
    focus: () => editor.focus(),
    dispose() {
      markerWatch.dispose();
      themeWatch.disconnect();
      for (const listener of listeners) listener.dispose();
      editor.dispose();
      for (const model of models.values()) model.dispose();
    },
  };
}

/** Monaco's side-by-side diff: the learner's code against the reference solution. */
export async function showDiff(container: HTMLElement, mine: string, solution: string, path: string): Promise<() => void> {
  const [{ monaco }] = await Promise.all([import('./monaco.ts'), applyDeferredStyles()]);
  const original = monaco.editor.createModel(mine, 'typescript', monaco.Uri.parse(`file:///diff/mine/${path}`));
  const modified = monaco.editor.createModel(solution, 'typescript', monaco.Uri.parse(`file:///diff/solution/${path}`));
  const diff = monaco.editor.createDiffEditor(container, {
    readOnly: true,
    originalEditable: false,
    automaticLayout: true,
    renderSideBySide: container.clientWidth > 700,
    theme: document.documentElement.dataset.theme === 'dark' ? 'vs-dark' : 'vs',
    ariaLabel: 'Your code compared with the reference solution',
  });
  diff.setModel({ original, modified });
  return () => {
    diff.dispose();
    original.dispose();
    modified.dispose();
  };
}
