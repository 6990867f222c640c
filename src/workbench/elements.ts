// The kata page's elements the workbench drives, found once by their data- attributes.

export type WorkbenchElements = ReturnType<typeof workbenchElements>;

export function workbenchElements(root: HTMLElement) {
  const $ = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector)!;
  return {
    run: $<HTMLButtonElement>('[data-run]'),
    hint: $<HTMLButtonElement>('[data-hint]'),
    solution: $<HTMLButtonElement>('[data-solution]'),
    reset: $<HTMLButtonElement>('[data-reset]'),
    engineChoice: $<HTMLSelectElement>('[data-engine-choice]'),
    engineNotice: $('[data-engine-notice]'),
    storageNotice: $('[data-storage-notice]'),
    textarea: $<HTMLTextAreaElement>('[data-code-fallback]'),
    codeLabel: $('[data-code-label]'),
    monacoHost: $('[data-monaco-host]'),
    summary: $('[data-summary]'),
    testList: $<HTMLOListElement>('[data-test-list]'),
    problemsStatus: $('[data-problems-status]'),
    problemList: $<HTMLUListElement>('[data-problem-list]'),
    detail: $('[data-detail]'),
    detailTitle: $('[data-detail-title]'),
    detailMessage: $('[data-detail-message]'),
    replay: $<HTMLButtonElement>('[data-replay]'),
    chaos: $<HTMLButtonElement>('[data-chaos]'),
    chaosResult: $('[data-chaos-result]'),
    timeline: $('[data-timeline]'),
    terminalBox: $('[data-terminal-box]'),
    terminal: $('[data-terminal]'),
    hintStatus: $('[data-hint-status]'),
    hintList: $<HTMLOListElement>('[data-hint-list]'),
    solutionBox: $('[data-solution-box]'),
    diffHost: $('[data-diff-host]'),
    hideSolution: $<HTMLButtonElement>('[data-hide-solution]'),
    exportButton: $<HTMLButtonElement>('[data-export]'),
    importButton: $<HTMLButtonElement>('[data-import]'),
    importFile: $<HTMLInputElement>('[data-import-file]'),
    share: $<HTMLButtonElement>('[data-share]'),
    shareBox: $('[data-share-box]'),
    shareUrl: $<HTMLInputElement>('[data-share-url]'),
    progressStatus: $('[data-progress-status]'),
    dialog: $<HTMLDialogElement>('[data-confirm]'),
    confirmTitle: $('[data-confirm-title]'),
    confirmText: $('[data-confirm-text]'),
    confirmYes: $('[data-confirm-yes]'),
  };
}
