// The kata page's controller: wires the editor, the engines, results, hints, solution and progress to the page.
import { WorkStore, readShareFragment, type Files, type KataData } from './persistence.ts';
import { textareaEditor, monacoEditor, type CodeEditor } from './editor.ts';
import { workbenchElements } from './elements.ts';
import { confirm } from './dialog.ts';
import { wireHelp } from './help.ts';
import { wireProgress } from './progress-ui.ts';
import { renderTimeline } from './timeline.ts';
import { renderResults, summaryText } from './results.ts';
import { renderProblems, type Problem } from './problems.ts';
import { engineWords, type EngineFacts } from './engine-words.ts';
import './panes.ts';
import { OfflineEngine } from '../engine/hosts/worker/offline-engine.ts';
import { EngineChooser } from '../engine/hosts/webcontainer/choose.ts';
import { WebContainerEngine } from '../engine/hosts/webcontainer/webcontainer-engine.ts';
import { readSolved, writeSolved } from '../utils/progress-marks.ts';
import { newSeed } from '../engine/core/rng.ts';
import type { RunReport } from '../engine/testing/runner.ts';
import type { TestResult } from '../engine/testing/types.ts';

const SAVE_DELAY_MS = 300;
const CHAOS_RUNS = 5;

export async function startWorkbench(root: HTMLElement): Promise<void> {
  const data = JSON.parse(root.querySelector('[data-kata-data]')!.textContent!) as KataData;
  const ui = workbenchElements(root);

  // ---- files: a share link, else what this browser saved, else the starter ----
  const store = await new WorkStore().open();
  if (!store.available) {
    showStorageProblem(`Your code cannot be saved in this browser (${store.problem || 'storage is unavailable'}). Everything still works; use “Export progress” to keep your work.`);
  }
  const saved = await store.load(data.slug);
  let files: Files = { ...data.starter, ...saved };
  try {
    const shared = readShareFragment(location.hash, data.slug);
    const differs = shared && saved && JSON.stringify({ ...data.starter, ...saved }) !== JSON.stringify({ ...data.starter, ...shared });
    if (shared && differs && !(await confirm(ui, 'Open the shared code?', 'It replaces your own code for this kata in this browser. Export your progress first if you want to keep it.', 'Open the shared code'))) {
      ui.progressStatus.textContent = 'Kept your own code; the shared code was not opened.';
    } else if (shared) {
      files = { ...data.starter, ...shared };
      await store.save(data.slug, files);
      ui.progressStatus.textContent = 'Loaded the code from the share link.';
    }
  } catch (error) {
    ui.progressStatus.textContent = (error as Error).message; // a damaged link changes nothing
  }
  if (location.hash.startsWith('#share=')) history.replaceState(null, '', location.pathname);

  let active = Object.keys(data.starter).sort()[0]!;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let warnedAboutSaving = false;
  const events = {
    onChange(next: Files) {
      files = next;
      clearTimeout(saveTimer);
      saveTimer = setTimeout(async () => {
        saveTimer = undefined;
        const saved = await store.save(data.slug, files);
        if (!saved && store.available && !warnedAboutSaving) {
          warnedAboutSaving = true;
          showStorageProblem(`Your latest changes could not be saved (${store.problem}). Export your progress to keep them.`);
        }
      }, SAVE_DELAY_MS);
    },
    onRun: () => void runTests(),
    onProblems: (problems: Problem[]) => renderProblems(ui.problemList, ui.problemsStatus, problems, goToProblem),
  };
  let editor: CodeEditor = textareaEditor(ui.textarea, files, active, events);
  // Leaving the page right after typing must not lose the last keystrokes to the save delay.
  const flush = () => {
    if (saveTimer === undefined) return;
    clearTimeout(saveTimer);
    saveTimer = undefined;
    void store.save(data.slug, files);
  };
  addEventListener('pagehide', flush);
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());

  // Monaco comes on first use of the editor, so reading the brief costs none of its JavaScript.
  let upgrading: Promise<void> | undefined;
  const upgrade = () => {
    upgrading ??= (async () => {
      try {
        await import('./monaco.ts'); // load first: what is typed meanwhile goes into the textarea and is carried over
        const monaco = await monacoEditor(ui.monacoHost, editor.files(), active, events);
        const hadFocus = document.activeElement === ui.textarea;
        ui.monacoHost.hidden = false;
        ui.textarea.hidden = true;
        ui.codeLabel.hidden = true;
        editor.dispose();
        editor = monaco;
        if (lastReport) editor.mark(lastReport.diagnostics);
        if (hadFocus) editor.focus();
        root.dataset.editor = 'monaco';
      } catch (error) {
        ui.engineNotice.textContent = `The full editor could not load (${(error as Error).message}); the plain editor works.`;
      }
    })();
    return upgrading;
  };
  for (const type of ['focus', 'pointerdown', 'keydown'] as const) ui.textarea.addEventListener(type, () => void upgrade(), { once: true });
  Object.assign(window, {
    dojoWorkbench: {
      files: () => editor.files(),
      setFiles: (next: Files) => {
        editor.setFiles(next);
        events.onChange(editor.files());
      },
      upgrade,
    },
  });

  // ---- file tabs (arrow keys move between them, as in any tab list) ----
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('[role=tab]')];
  const openTab = (tab: HTMLButtonElement) => {
    active = tab.dataset.file!;
    for (const other of tabs) {
      other.setAttribute('aria-selected', String(other === tab));
      other.tabIndex = other === tab ? 0 : -1;
    }
    root.querySelector('[role=tabpanel]')!.setAttribute('aria-labelledby', tab.id);
    ui.codeLabel.textContent = `Code of ${active}`;
    editor.open(active);
  };
  for (const tab of tabs) {
    tab.addEventListener('click', () => openTab(tab));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!;
      next.focus();
      openTab(next);
    });
  }
  /** A problem chosen in the Problems list: its file's tab, then the cursor on it. */
  function goToProblem(problem: Problem): void {
    const tab = tabs.find((candidate) => candidate.dataset.file === problem.file);
    if (tab && problem.file !== active) openTab(tab);
    editor.reveal(problem.line, problem.column);
  }

  // ---- engines: offline at once; WebContainer in the background where it can run ----
  const offline = new OfflineEngine();
  offline.warm();
  const chooser = new EngineChooser({
    offline,
    createWebContainer: () => {
      const engine = new WebContainerEngine();
      engine.onOutput((line) => {
        ui.terminalBox.hidden = false;
        ui.terminal.append(`${line}\n`);
        ui.terminal.scrollTop = ui.terminal.scrollHeight;
      });
      return engine;
    },
    environment: { crossOriginIsolated: globalThis.crossOriginIsolated === true, userAgent: navigator.userAgent, maxTouchPoints: navigator.maxTouchPoints },
  });
  let lastRun: EngineFacts['lastRun'];
  const sayWhereTestsRun = () => {
    ui.engineNotice.textContent = engineWords({ state: chooser.state, reason: chooser.reason, preference: chooser.preference, lastRun });
  };
  chooser.onChange(() => {
    root.dataset.engineState = chooser.state;
    lastRun = undefined; // what the chooser can do now matters more than how the last run went
    sayWhereTestsRun();
  });
  chooser.start();
  ui.engineChoice.addEventListener('change', () => {
    chooser.preference = ui.engineChoice.value as 'auto' | 'offline' | 'webcontainer';
  });

  // ---- running tests ----
  let lastReport: RunReport | undefined;
  let selected: string | undefined;
  let running = false;

  async function run(request: { seed: number; only?: string[] }, announce: string): Promise<RunReport | undefined> {
    if (running) return undefined;
    running = true;
    for (const button of [ui.run, ui.replay, ui.chaos]) button.setAttribute('aria-disabled', 'true');
    root.setAttribute('aria-busy', 'true');
    ui.panes.show('results'); // on a phone, the results tab: the learner pressed Run to see them
    ui.summary.dataset.state = 'running';
    ui.summary.textContent = announce;
    const live = new Set<string>(); // by name: a WebContainer run that falls back reports its tests again
    try {
      const outcome = await chooser.runWithFallback(
        { slug: data.slug, files: editor.files(), seed: request.seed, suite: 'hidden', only: request.only },
        (result) => {
          live.add(result.name);
          ui.summary.textContent = `${announce} ${live.size} of ${request.only?.length ?? data.tests.length} done.`;
        },
      );
      lastRun = { kind: outcome.engine.kind, fellBack: outcome.fellBack, failure: outcome.failure };
      sayWhereTestsRun();
      return outcome.report;
    } catch (error) {
      ui.summary.dataset.state = 'fail';
      ui.summary.textContent = `The tests could not run: ${(error as Error).message}`;
      return undefined;
    } finally {
      running = false;
      for (const button of [ui.run, ui.replay, ui.chaos]) button.removeAttribute('aria-disabled');
      root.removeAttribute('aria-busy');
    }
  }

  async function runTests(): Promise<void> {
    const report = await run({ seed: newSeed() }, 'Running the hidden tests…');
    if (!report) return;
    show(report);
  }

  function show(report: RunReport): void {
    lastReport = report;
    editor.mark(report.diagnostics);
    const solved = report.status === 'pass';
    if (solved) writeSolved([...readSolved(), data.slug]);
    root.dataset.solved = String(solved || readSolved().has(data.slug));
    ui.solvedBadge.hidden = root.dataset.solved !== 'true';
    ui.summary.dataset.state = solved ? 'pass' : 'fail';
    ui.summary.textContent = summaryText(report, data.tests.length);
    renderResults(ui.testList, report.results, (name) => select(name));
    const firstFailure = report.results.find((result) => result.status !== 'pass');
    if (firstFailure) select(firstFailure.name, false);
    else ui.detail.hidden = true;
  }

  function select(name: string, focus = true): void {
    const result = lastReport?.results.find((candidate) => candidate.name === name);
    if (!result) return;
    selected = name;
    for (const button of ui.testList.querySelectorAll<HTMLButtonElement>('button')) {
      button.setAttribute('aria-pressed', String(button.dataset.test === name));
    }
    ui.detail.hidden = false;
    ui.detailTitle.textContent = `${result.status === 'pass' ? '✓' : '✗'} ${result.name}`;
    ui.detailMessage.textContent = result.status === 'pass' ? 'Passed.' : result.message;
    ui.chaosResult.textContent = '';
    renderTimeline(ui.timeline, result, { headingLevel: 4, messageShownAbove: true });
    if (focus) ui.detailTitle.focus?.();
  }

  ui.run.addEventListener('click', () => void runTests());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void runTests();
    }
  });
  ui.replay.addEventListener('click', async () => {
    if (!lastReport || !selected) return;
    const report = await run({ seed: lastReport.seed, only: [selected] }, `Replaying “${selected}” with seed ${lastReport.seed}…`);
    if (!report) return;
    const result = report.results[0]!;
    lastReport = { ...lastReport, results: lastReport.results.map((old) => (old.name === result.name ? result : old)) };
    renderResults(ui.testList, lastReport.results, (name) => select(name));
    ui.summary.textContent = `Replayed “${result.name}” with seed ${report.seed}: ${result.status === 'pass' ? 'passed' : 'failed again'}.`;
    select(result.name, false);
  });
  ui.chaos.addEventListener('click', async () => {
    if (!selected) return;
    const name = selected;
    const failures: number[] = [];
    let worst: TestResult | undefined;
    let ran = 0;
    for (; ran < CHAOS_RUNS; ran++) {
      const seed = newSeed();
      const report = await run({ seed, only: [name] }, `Chaos run ${ran + 1} of ${CHAOS_RUNS} for “${name}”…`);
      const result = report?.results[0];
      if (!result) break; // another run was under way, or the engine failed (its message is on the page)
      if (result.status !== 'pass') {
        failures.push(seed);
        worst ??= result;
      }
    }
    const text = ran < CHAOS_RUNS
      ? `The chaos runs stopped after ${ran} of ${CHAOS_RUNS}${failures.length ? `; “${name}” failed with seeds ${failures.join(', ')}` : ''}.`
      : failures.length === 0
        ? `“${name}” passed with ${CHAOS_RUNS} new seeds.`
        : `“${name}” failed with ${failures.length} of ${CHAOS_RUNS} new seeds (${failures.join(', ')}).`;
    ui.summary.textContent = text;
    ui.chaosResult.textContent = text;
    if (worst) {
      ui.detailMessage.textContent = worst.message;
      renderTimeline(ui.timeline, worst, { headingLevel: 4, messageShownAbove: true });
    }
  });

  // ---- help and progress ----
  const context = { root, ui, data, store, editor: () => editor, active: () => active, changed: () => events.onChange(editor.files()) };
  wireHelp(context);
  wireProgress(context);

  root.dataset.solved = String(readSolved().has(data.slug));
  ui.solvedBadge.hidden = root.dataset.solved !== 'true';
  root.dataset.ready = 'true';

  function showStorageProblem(text: string): void {
    ui.storageNotice.hidden = false;
    ui.storageNotice.textContent = text;
  }
}
