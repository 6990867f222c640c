// The kata page's controller: builds the store, the editor and the engines, and turns the learner's actions into
// store updates; the views (results, tabs, badge, engine notice) derive what they show from the store.
import type { Files, KataData } from './persistence.ts';
import { openWork } from './save/keeper.ts';
import { textareaEditor, monacoEditor, type CodeEditor } from './editor.ts';
import { workbenchElements } from './elements.ts';
import { wireHelp } from './help.ts';
import { wireProgress } from './progress-ui.ts';
import { wireHandIn } from './hand-in-ui.ts';
import { watchResults } from './results.ts';
import { renderProblems, type Problem } from './problems.ts';
import { engineWords } from './engine-words.ts';
import { Store } from './store.ts';
import { chaosFinished, initialState, replayFinished, runEnded, runFinished, runProgressed, runStarted, type WorkbenchState } from './state.ts';
import { installTestHook } from './test-hook.ts';
import { onFirstInteraction, whenIdle } from './idle.ts';
import { markBusy } from '../offline/quiet.ts';
import './panes.ts';
import { OfflineEngine } from '../engine/hosts/worker/offline-engine.ts';
import { EngineChooser } from '../engine/hosts/webcontainer/choose.ts';
import { WebContainerEngine } from '../engine/hosts/webcontainer/webcontainer-engine.ts';
import { readSolved, writeSolved } from '../utils/progress-marks.ts';
import { markAttempted, writeLastVisit } from '../utils/learner-marks.ts';
import { watchAttempt } from './attempt-mark.ts';
import { newSeed } from '../engine/core/rng.ts';
import type { RunReport } from '../engine/testing/runner.ts';
import type { TestResult } from '../engine/testing/types.ts';

const CHAOS_RUNS = 5;

export async function startWorkbench(root: HTMLElement): Promise<void> {
  const data = JSON.parse(root.querySelector('[data-kata-data]')!.textContent!) as KataData;
  const ui = workbenchElements(root);

  // ---- files: a share link, else what this browser saved, else the starter (see save/keeper.ts) ----
  const work = await openWork({
    root, slug: data.slug, starter: data.starter, katas: data.katas,
    show: (next) => setFiles(next),
    status: (text) => (ui.progressStatus.textContent = text),
  });
  const files: Files = work.initial;

  // ---- the one place the page's state lives ----
  const state = new Store<WorkbenchState>(initialState(files, Object.keys(data.starter).sort()[0]!, readSolved().has(data.slug)));

  // ---- the course map's marks: this page is where to continue, and changed code or a run is an attempt ----
  writeLastVisit({ href: `/katas/${data.slug}/`, title: `Kata: ${data.title}` });
  watchAttempt(state, data.starter, () => markAttempted(data.slug));

  // ---- saving: every change of the files goes to the keeper at once (it saves, and copies on leaving the page) ----
  state.subscribe((now, before) => {
    if (now.files !== before.files) work.changed(now.files);
  });

  // ---- the editor: the textarea at once, Monaco on first use; it holds the text, the store mirrors it ----
  const events = {
    onChange: (next: Files) => state.update({ files: next }),
    onRun: () => void runTests(),
    onProblems: (problems: Problem[]) => state.update({ problems }),
  };
  let editor: CodeEditor = textareaEditor(ui.textarea, files, state.state.active, events);
  /** Replaces the code from outside the editor (reset, import, the test hook): the editor first, then the store. */
  const setFiles = (next: Files) => {
    editor.setFiles(next);
    state.update({ files: editor.files() });
  };
  // Monaco comes on first use of the editor, so reading the brief costs none of its JavaScript.
  let upgrading: Promise<void> | undefined;
  const upgrade = () => {
    upgrading ??= (async () => {
      const done = markBusy(); // the offline copy of the site waits while the editor loads (src/offline/quiet.ts)
      try {
        await import('./monaco.ts'); // load first: what is typed meanwhile goes into the textarea and is carried over
        const monaco = await monacoEditor(ui.monacoHost, editor.files(), state.state.active, events);
        const hadFocus = document.activeElement === ui.textarea;
        ui.monacoHost.hidden = false;
        ui.textarea.hidden = true;
        ui.codeLabel.hidden = true;
        editor.dispose();
        editor = monaco;
        if (state.state.report) editor.mark(state.state.report.diagnostics);
        if (hadFocus) editor.focus();
        state.update({ editor: 'monaco' });
      } catch (error) {
        showStorageProblem(`The full editor could not load (${(error as Error).message}); the plain editor works.`);
      } finally {
        done();
      }
    })();
    return upgrading;
  };
  for (const type of ['focus', 'pointerdown', 'keydown'] as const) ui.textarea.addEventListener(type, () => void upgrade(), { once: true });
  installTestHook({ files: () => editor.files(), setFiles, upgrade });

  // ---- file tabs (arrow keys move between them, as in any tab list) ----
  const tabs = [...root.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => state.update({ active: tab.dataset.file! }));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (!step) return;
      const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!;
      next.focus();
      state.update({ active: next.dataset.file! });
    });
  }
  state.watch((s) => s.active, (active) => {
    for (const tab of tabs) {
      const selected = tab.dataset.file === active;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      if (selected) ui.editorPanel.setAttribute('aria-labelledby', tab.id);
    }
    ui.codeLabel.textContent = `Code of ${active}`;
    editor.open(active);
  });
  /** A problem chosen in the Problems list: its file's tab, then the cursor on it. */
  const goToProblem = (problem: Problem) => {
    state.update({ active: problem.file });
    editor.reveal(problem.line, problem.column);
  };

  // ---- views ----
  watchResults(state, ui, (name) => {
    state.update({ selected: name, chaos: undefined });
    ui.detailTitle.focus();
  });
  state.watch((s) => s.problems, (problems) => {
    if (problems) renderProblems(ui.problemList, ui.problemsStatus, problems, goToProblem);
  });
  state.watch((s) => s.report?.diagnostics, (diagnostics) => {
    if (diagnostics) editor.mark(diagnostics);
  });
  state.watch((s) => s.solved, (solved) => {
    ui.solvedBadge.hidden = !solved;
    ui.solvedNext.hidden = !solved; // the reference solution to compare with, and the next lesson
    root.dataset.solved = String(solved); // read by the e2e tests
    if (solved) writeSolved([...readSolved(), data.slug]);
  });
  state.watch((s) => s.engine, (engine) => {
    ui.engineNotice.textContent = engineWords(engine);
    root.dataset.engineState = engine.state; // read by the e2e tests
  });
  state.watch((s) => s.editor, (kind) => {
    if (kind === 'monaco') root.dataset.editor = 'monaco'; // read by the e2e tests and the bench
  });

  // ---- engines: offline at once; WebContainer in the background where it can run ----
  const offline = new OfflineEngine();
  // Starting the supervisor and its spare processes costs a few hundred KB of worker scripts and CPU: not before the
  // page is idle (or the learner acts), so reading the brief stays fast on a busy machine. A run starts them anyway.
  whenIdle(() => offline.warm());
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
  // What the chooser can do now matters more than how the last run went.
  const engineFacts = () => ({ state: chooser.state, reason: chooser.reason, preference: chooser.preference });
  chooser.onChange(() => state.update({ engine: engineFacts() }));
  state.update({ engine: engineFacts() });
  // Booting WebContainer (where it can run) starts a Node.js runtime in the page: worth it for a learner who starts
  // working, not for a reader of the brief. Until it is up, runs go to the offline engine, which gives the same verdicts.
  onFirstInteraction(() => chooser.start());
  ui.engineChoice.addEventListener('change', () => {
    chooser.preference = ui.engineChoice.value as 'auto' | 'offline' | 'webcontainer';
  });

  // ---- running tests: a new run stops the one under way (and a chaos loop), so the newest code always wins ----
  // While tests run the page is busy: the offline copy of the site waits for a quiet moment (src/offline/quiet.ts).
  let endBusy: (() => void) | undefined;
  state.watch((s) => s.running !== undefined, (running) => {
    if (running) endBusy ??= markBusy();
    else {
      endBusy?.();
      endBusy = undefined;
    }
  });
  let current: AbortController | undefined;
  const stopCurrent = (why: string) => current?.abort(new DOMException(why, 'AbortError'));
  addEventListener('pagehide', () => stopCurrent('the page was left'));

  /** Runs the hidden tests; undefined when the run failed (said on the page) or was stopped (then nothing is said). */
  async function run(request: { seed: number; only?: string[] }, announce: string, controller = new AbortController()): Promise<RunReport | undefined> {
    if (current !== controller) stopCurrent('a newer run replaced it');
    current = controller;
    const { signal } = controller;
    const total = request.only?.length ?? data.tests.length;
    state.update(runStarted(announce, total));
    ui.panes.show('results'); // on a phone, the results tab: the learner pressed Run to see them
    const live = new Set<string>(); // by name: a WebContainer run that falls back reports its tests again
    try {
      const outcome = await chooser.runWithFallback(
        { slug: data.slug, files: editor.files(), seed: request.seed, suite: 'hidden', only: request.only },
        (result) => {
          if (signal.aborted) return;
          live.add(result.name);
          state.update((s) => runProgressed(s, { done: live.size }));
        },
        {
          signal,
          // "Starting the database…" in the live region while Postgres starts: seconds that are not the code's doing.
          onStatus: (status) => !signal.aborted && state.update((s) => runProgressed(s, { status })),
        },
      );
      if (signal.aborted) return undefined; // a stopped run's results never reach the page
      state.update({ engine: { ...engineFacts(), lastRun: { kind: outcome.engine.kind, fellBack: outcome.fellBack, ...(outcome.failure ? { failure: outcome.failure } : {}) } } });
      return outcome.report;
    } catch (error) {
      if (!signal.aborted) state.update(runEnded({ error: (error as Error).message }));
      return undefined; // stopped: the run that replaced it owns the page now (or the page is being left)
    } finally {
      if (current === controller) current = undefined;
    }
  }

  async function runTests(): Promise<void> {
    const report = await run({ seed: newSeed() }, 'Running the hidden tests…');
    if (report) state.update((s) => runFinished(s, report, data.tests.length));
  }

  ui.run.addEventListener('click', () => void runTests());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void runTests();
    }
  });
  ui.replay.addEventListener('click', async () => {
    const { report: last, selected } = state.state;
    if (!last || !selected) return;
    const report = await run({ seed: last.seed, only: [selected] }, `Replaying “${selected}” with seed ${last.seed}…`);
    if (report?.results[0]) state.update((s) => replayFinished(s, report.results[0]!, report.seed));
    else if (report) state.update({ running: undefined });
  });
  ui.chaos.addEventListener('click', async () => {
    const name = state.state.selected;
    if (!name) return;
    const failures: number[] = [];
    let worst: TestResult | undefined;
    let ran = 0;
    // One controller for the whole loop: any other run (or leaving the page) stops every chaos run left.
    const loop = new AbortController();
    for (; ran < CHAOS_RUNS; ran++) {
      const seed = newSeed();
      const report = await run({ seed, only: [name] }, `Chaos run ${ran + 1} of ${CHAOS_RUNS} for “${name}”…`, loop);
      if (loop.signal.aborted) return;
      const result = report?.results[0];
      if (!result) break; // the engine failed (its message is on the page)
      state.update({ running: undefined });
      if (result.status !== 'pass') {
        failures.push(seed);
        worst ??= result;
      }
    }
    state.update(chaosFinished(name, CHAOS_RUNS, ran, failures, worst));
  });

  // ---- help and progress ----
  const context = {
    root, ui, data, work, state,
    editor: () => ({ ...editor, setFiles }),
    active: () => state.state.active,
    changed: () => state.update({ files: editor.files() }),
  };
  wireHelp(context);
  wireProgress(context);
  wireHandIn(ui.handInDialog, ui.handIn, ui.progressStatus, async () => (await context.work.exportProgress()).progress);

  root.dataset.ready = 'true';

  function showStorageProblem(text: string): void {
    ui.storageNotice.hidden = false;
    ui.storageNotice.textContent = text;
  }
}
