// Which engine runs the next kata run: WebContainer where it can boot, otherwise (and whenever it fails) the offline engine.
import type { KataEngine, RunHooks, RunRequest } from '../engine.ts';
import type { RunReport } from '../../testing/runner.ts';
import type { TestResult } from '../../testing/types.ts';

/** What the policy needs to know about the browser; the page reads it from `globalThis` and `navigator`. */
export interface BrowserEnvironment {
  crossOriginIsolated: boolean;
  userAgent: string;
  /** `navigator.maxTouchPoints`: tells an iPad (which says it is a Mac) from a Mac */
  maxTouchPoints?: number;
}

export interface WebContainerSupport {
  supported: boolean;
  /** why not, in words that finish "WebContainer is unavailable (…)" */
  reason?: string;
}

const NEEDS = 'WebContainer needs a Chromium-based browser, Firefox or Safari 16.4 or later';

/**
 * StackBlitz's browser-support page: full support in Chrome and Chromium-based browsers, beta in Firefox and in
 * Safari from 16.4, and on iOS/iPadOS "large projects may run into memory limitations" (a kata runs several
 * processes, so we don't try there). Cross-origin isolation (SharedArrayBuffer) is required everywhere.
 */
export function webContainerSupport(env: BrowserEnvironment): WebContainerSupport {
  const ua = env.userAgent;
  const iPadAsMac = /\bMacintosh\b/.test(ua) && (env.maxTouchPoints ?? 0) > 1;
  if (/\b(iPhone|iPad|iPod)\b/.test(ua) || iPadAsMac) return { supported: false, reason: 'WebContainer runs out of memory on iOS' };
  const browser = browserSupport(ua);
  if (!browser.supported) return browser;
  if (!env.crossOriginIsolated) return { supported: false, reason: 'the page is not cross-origin isolated' };
  return { supported: true };
}

function browserSupport(ua: string): WebContainerSupport {
  // Edge before 79 (EdgeHTML) also says "Chrome/…", but says "Edge/" where Chromium Edge says "Edg/".
  if (/\bEdge\/\d/.test(ua)) return { supported: false, reason: `this browser is too old: ${NEEDS}` };
  if (/\b(Chrome|Chromium|HeadlessChrome)\/\d/.test(ua)) return { supported: true };
  if (/\bFirefox\/\d/.test(ua)) return { supported: true };
  const safari = /\bVersion\/(\d+)(?:\.(\d+))?.*\bSafari\//.exec(ua);
  if (safari) {
    const [major, minor] = [Number(safari[1]), Number(safari[2] ?? 0)];
    if (major > 16 || (major === 16 && minor >= 4)) return { supported: true };
    return { supported: false, reason: `Safari ${major}.${minor} is too old: ${NEEDS}` };
  }
  return { supported: false, reason: `this browser is not one it supports: ${NEEDS}` };
}

/** An engine that must start before it can run: the WebContainer engine. */
export interface BootableEngine extends KataEngine {
  ready(): Promise<void>;
}

export type EngineState = 'offline-only' | 'booting' | 'ready' | 'unavailable';
export type EnginePreference = 'auto' | 'offline' | 'webcontainer';

export interface EngineChooserOptions {
  offline: KataEngine;
  /** makes the WebContainer engine; called at most once. Without it, every run is offline. */
  createWebContainer?: () => BootableEngine;
  environment: BrowserEnvironment;
  /** a boot slower than this leaves WebContainer 'unavailable' (it still becomes 'ready' if the boot ends later) */
  bootTimeoutMs?: number;
  preference?: EnginePreference;
}

export interface EnginePick {
  engine: KataEngine;
  /** one sentence for the page: which engine ran, and why when it is not the one expected */
  notice: string;
}

export interface ChosenRun extends EnginePick {
  report: RunReport;
  /** WebContainer failed and the run was repeated offline (results already reported may come again) */
  fellBack: boolean;
  /** when it fell back: how WebContainer failed */
  failure?: string;
}

export interface ChooserSnapshot {
  state: EngineState;
  reason: string | undefined;
  preference: EnginePreference;
}

export const DEFAULT_BOOT_TIMEOUT_MS = 20_000;

/**
 * The engine-choice policy. States: 'offline-only' (no WebContainer engine, or not started yet), 'booting',
 * 'ready', 'unavailable' (with a reason: unsupported browser, failed or slow boot, or a failed run).
 * DOM-free: the page passes the environment in and renders `state`, `reason` and the notices.
 */
export class EngineChooser {
  readonly #offline: KataEngine;
  readonly #create: (() => BootableEngine) | undefined;
  readonly #support: WebContainerSupport;
  readonly #bootTimeoutMs: number;
  readonly #listeners = new Set<(snapshot: ChooserSnapshot) => void>();
  #preference: EnginePreference;
  #state: EngineState;
  #reason: string | undefined;
  #started = false;
  /** the WebContainer engine once it is ready (and until a failed run gives up on it) */
  #webcontainer: BootableEngine | undefined;
  /** the WebContainer engine made by the factory, booted or not */
  #candidate: BootableEngine | undefined;
  #disposed = false;
  /** settles (never rejects) when the boot has succeeded, failed or timed out */
  #boot: Promise<void> | undefined;

  constructor(options: EngineChooserOptions) {
    this.#offline = options.offline;
    this.#create = options.createWebContainer;
    this.#support = webContainerSupport(options.environment);
    this.#bootTimeoutMs = options.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
    this.#preference = options.preference ?? 'auto';
    this.#state = this.#create && !this.#support.supported ? 'unavailable' : 'offline-only';
    this.#reason = this.#create && !this.#support.supported ? this.#support.reason : undefined;
  }

  get state(): EngineState {
    return this.#state;
  }

  get reason(): string | undefined {
    return this.#reason;
  }

  get preference(): EnginePreference {
    return this.#preference;
  }

  /** The learner's choice. Choosing WebContainer (or auto) after 'offline' boots it then, if started and supported. */
  set preference(preference: EnginePreference) {
    if (preference === this.#preference) return;
    this.#preference = preference;
    this.#notify();
    this.#maybeBoot();
  }

  /** Listens to changes of state, reason and preference. Returns an unsubscribe. */
  onChange(listener: (snapshot: ChooserSnapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Boots WebContainer in the background, at most once, when the browser supports it and the learner allows it. */
  start(): void {
    this.#started = true;
    this.#maybeBoot();
  }

  /** The engine for the next run, and the notice to show with its results. */
  pick(): EnginePick {
    const offline = (why?: string): EnginePick => ({ engine: this.#offline, notice: `Ran in the offline engine${why ? `: ${why}` : ''}` });
    if (this.#preference === 'offline') return offline('you chose it');
    if (this.#state === 'ready' && this.#webcontainer) {
      return { engine: this.#webcontainer, notice: `Ran in ${this.#webcontainer.label}` };
    }
    if (this.#state === 'booting') return offline('WebContainer is still starting');
    if (this.#state === 'unavailable') return offline(`WebContainer is unavailable (${this.#reason ?? 'no reason given'})`);
    return offline(this.#create && this.#preference === 'webcontainer' ? 'WebContainer has not been started' : undefined);
  }

  /**
   * Runs on the picked engine. When WebContainer fails (no report, a crash, its watchdog), it is marked unavailable
   * and the run is repeated offline, which the notice says. With preference 'webcontainer', a run waits for a boot
   * in progress (at most the boot time-out) instead of going offline at once.
   */
  async runWithFallback(request: RunRequest, onResult?: (result: TestResult) => void, hooks: RunHooks = {}): Promise<ChosenRun> {
    if (this.#preference === 'webcontainer' && this.#state === 'booting') await this.#boot;
    hooks.signal?.throwIfAborted();
    const picked = this.pick();
    if (picked.engine === this.#offline) return { ...picked, report: await this.#offline.run(request, onResult, hooks), fellBack: false };
    try {
      return { ...picked, report: await picked.engine.run(request, onResult, hooks), fellBack: false };
    } catch (error) {
      if (hooks.signal?.aborted) throw error; // stopped by the caller: WebContainer did nothing wrong
      const message = error instanceof Error ? error.message : String(error);
      this.#giveUp(`it failed during a run: ${message}`);
      const report = await this.#offline.run(request, onResult, hooks);
      return {
        engine: this.#offline,
        notice: `Ran in the offline engine: WebContainer failed (${message}), so the run was repeated offline`,
        report,
        fellBack: true,
        failure: message,
      };
    }
  }

  /** Stops the WebContainer engine this chooser made, booted or booting (the offline engine belongs to the page). */
  dispose(): void {
    this.#disposed = true;
    this.#candidate?.dispose();
    this.#candidate = undefined;
    this.#webcontainer = undefined;
  }

  #maybeBoot(): void {
    if (!this.#started || this.#boot || this.#disposed || !this.#create || !this.#support.supported || this.#preference === 'offline') return;
    this.#set('booting', undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#bootTimeoutMs);
    }).then(() => {
      if (this.#state === 'booting') this.#set('unavailable', `it did not start within ${this.#bootTimeoutMs / 1000} s`);
    });
    const booted = (async () => {
      const engine = this.#create!();
      this.#candidate = engine;
      await engine.ready();
      return engine;
    })().then(
      (engine) => {
        clearTimeout(timer);
        if (this.#disposed) return engine.dispose();
        // A boot that ends after the time-out still counts: the next run can use it.
        this.#webcontainer = engine;
        this.#set('ready', undefined);
      },
      (error: unknown) => {
        clearTimeout(timer);
        this.#candidate?.dispose();
        this.#candidate = undefined;
        if (this.#state === 'booting') this.#set('unavailable', `it failed to start: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    this.#boot = Promise.race([booted, timedOut]);
  }

  #giveUp(reason: string): void {
    this.#webcontainer?.dispose();
    this.#webcontainer = undefined;
    this.#candidate = undefined;
    this.#set('unavailable', reason);
  }

  #set(state: EngineState, reason: string | undefined): void {
    this.#state = state;
    this.#reason = reason;
    this.#notify();
  }

  #notify(): void {
    const snapshot: ChooserSnapshot = { state: this.#state, reason: this.#reason, preference: this.#preference };
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  }
}
