// The page's handle on the WebContainer engine: boots one WebContainer, runs the bundled runner in real Node.js for each run.
import type { FileSystemTree } from '@webcontainer/api';
import type { KataEngine, RunHooks, RunRequest } from '../engine.ts';
import type { RunReport } from '../../testing/runner.ts';
import type { TestResult } from '../../testing/types.ts';
import { parseRunnerLine, type RunnerRequest } from './protocol.ts';

/** A running process: the subset of `WebContainerProcess` this engine uses. */
export interface WebContainerProcessLike {
  /** the pseudo-terminal's output (stdout and stderr together, `\r\n` line breaks) */
  readonly output: ReadableStream<string>;
  readonly exit: Promise<number>;
  kill(): void;
}

/** The subset of `WebContainer` (from @webcontainer/api) this engine uses, so tests can fake it. */
export interface WebContainerLike {
  /** paths are relative to the container's working directory, even those starting with '/' */
  readonly fs: {
    writeFile(path: string, data: string): Promise<void>;
    mkdir(path: string, options: { recursive: true }): Promise<unknown>;
    rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  };
  mount(tree: FileSystemTree): Promise<void>;
  spawn(
    command: string,
    args: string[],
    options?: { cwd?: string; env?: Record<string, string>; output?: boolean; terminal?: { cols: number; rows: number } },
  ): Promise<WebContainerProcessLike>;
  on(event: 'error', listener: (error: { message: string }) => void): () => void;
  teardown(): void;
}

export interface WebContainerEngineOptions {
  /** default: boot the real WebContainer (one per page) */
  boot?: () => Promise<WebContainerLike>;
  /** default: fetch `runnerUrl` */
  fetchRunner?: () => Promise<string>;
  /** where the default fetchRunner finds the runner script */
  runnerUrl?: string;
  /** a run whose process prints nothing for this long is killed (each test prints a line when it ends) */
  watchdogMs?: number;
  /** how long output may trail the process's exit before the engine stops waiting for it */
  exitGraceMs?: number;
}

export const RUNNER_URL = '/webcontainer/runner.mjs';
/** Both relative to the working directory: the fs API resolves every path there, and processes start there. */
const RUNNER_FILE = 'runner.mjs';
const KATA_DIR = 'kata';
const DEFAULT_WATCHDOG_MS = 60_000;
const TERMINAL = { cols: 120, rows: 40 };

export async function bootWebContainer(): Promise<WebContainerLike> {
  const { WebContainer } = await import('@webcontainer/api');
  return WebContainer.boot({ coep: 'require-corp', workdirName: 'dojo' });
}

export async function fetchRunnerScript(url: string = RUNNER_URL): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the WebContainer runner from ${url} (HTTP ${response.status})`);
  return response.text();
}

interface ActiveRun {
  stop(outcome: Error): void;
}

export class WebContainerEngine implements KataEngine {
  readonly kind = 'webcontainer';
  readonly label = 'WebContainer (real Node.js processes)';
  readonly #boot: () => Promise<WebContainerLike>;
  readonly #fetchRunner: () => Promise<string>;
  readonly #watchdogMs: number;
  readonly #exitGraceMs: number;
  readonly #listeners = new Set<(line: string) => void>();
  #booting: Promise<WebContainerLike> | undefined;
  #ready: Promise<WebContainerLike> | undefined;
  /** set when the container reports an internal error: every later run fails at once */
  #failure: Error | undefined;
  #active: ActiveRun | undefined;
  #disposed = false;
  // One run at a time: runs share the kata folder.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: WebContainerEngineOptions = {}) {
    this.#boot = options.boot ?? bootWebContainer;
    this.#fetchRunner = options.fetchRunner ?? (() => fetchRunnerScript(options.runnerUrl));
    this.#watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    this.#exitGraceMs = options.exitGraceMs ?? 1000;
  }

  /** Boot the container (once) and put the runner in it; resolves when a run can start. */
  async ready(): Promise<void> {
    await this.#prepare();
  }

  /** Every line the runner prints for people (progress, failures), for a terminal view. Returns an unsubscribe. */
  onOutput(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  run(request: RunRequest, onResult?: (result: TestResult) => void, hooks: RunHooks = {}): Promise<RunReport> {
    const run = this.#queue.then(() => {
      hooks.signal?.throwIfAborted(); // stopped while it waited its turn
      return this.#run(request, onResult, hooks.signal);
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#active?.stop(new Error('the WebContainer engine was stopped'));
    this.#booting?.then((container) => container.teardown(), () => undefined);
  }

  #prepare(): Promise<WebContainerLike> {
    if (this.#disposed) return Promise.reject(new Error('the WebContainer engine was stopped'));
    if (!this.#ready) {
      // The runner (~80 KiB gzipped) is fetched only once a container exists: where WebContainer cannot boot,
      // the page never pays for it.
      const ready = this.#bootOnce().then(async (container) => {
        const runner = await this.#fetchRunner();
        await container.mount({ [RUNNER_FILE]: { file: { contents: runner } } });
        return container;
      });
      this.#ready = ready;
      // A failed preparation may be retried; a booted container is kept (only one may exist per page).
      ready.catch(() => {
        if (this.#ready === ready) this.#ready = undefined;
      });
    }
    return this.#ready;
  }

  #bootOnce(): Promise<WebContainerLike> {
    if (!this.#booting) {
      const booting = this.#boot().then((container) => {
        if (this.#disposed) {
          container.teardown();
          throw new Error('the WebContainer engine was stopped');
        }
        container.on('error', (error) => {
          this.#failure = new Error(`WebContainer failed: ${error.message}`);
          this.#active?.stop(this.#failure);
        });
        return container;
      });
      this.#booting = booting;
      booting.catch(() => {
        if (this.#booting === booting) this.#booting = undefined;
      });
    }
    return this.#booting;
  }

  async #run(request: RunRequest, onResult?: (result: TestResult) => void, signal?: AbortSignal): Promise<RunReport> {
    const container = await this.#prepare();
    if (this.#failure) throw this.#failure;
    return new Promise<RunReport>((resolve, reject) => {
      let child: WebContainerProcessLike | undefined;
      let report: RunReport | undefined;
      let runnerError: string | undefined;
      let settled = false;
      const tail: string[] = [];
      let watchdog: ReturnType<typeof setTimeout> | undefined;

      const finish = (outcome: RunReport | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        if (this.#active === active) this.#active = undefined;
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const stop = (outcome: RunReport | Error) => {
        child?.kill();
        finish(outcome);
      };
      const feed = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => {
          stop(report ?? new Error(`the WebContainer run printed nothing for ${this.#watchdogMs / 1000} s and was stopped`));
        }, this.#watchdogMs);
      };
      const active: ActiveRun = { stop };
      this.#active = active;
      feed();
      // Stopped by the caller: the runner's process is killed and the run rejects with the signal's reason.
      signal?.addEventListener('abort', () => stop(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason))), { once: true });

      const line = (raw: string) => {
        if (settled) return;
        feed();
        let parsed;
        try {
          parsed = parseRunnerLine(raw);
        } catch (error) {
          stop(new Error(`the WebContainer runner's output could not be read: ${(error as Error).message}`));
          return;
        }
        switch (parsed.kind) {
          case 'text':
            if (parsed.text.trim() === '') return;
            tail.push(parsed.text);
            if (tail.length > 5) tail.shift();
            this.#emit(parsed.text);
            return;
          case 'result':
            onResult?.(parsed.result);
            return;
          case 'report':
            report = parsed.report;
            return;
          case 'error':
            runnerError = parsed.message;
            this.#emit(`! ${parsed.message}`);
            return;
        }
      };

      void (async () => {
        await writeInputs(container, request);
        if (settled) return;
        child = await container.spawn('node', [RUNNER_FILE, KATA_DIR], { terminal: TERMINAL });
        if (settled) {
          child.kill();
          return;
        }
        const drained = readLines(child.output, line);
        const code = await child.exit;
        // Output can trail the exit a little; the report, being the last line, means nothing is left to wait for.
        if (!report) await Promise.race([drained, delay(this.#exitGraceMs)]);
        if (report) finish(report);
        else if (runnerError !== undefined) finish(new Error(`the WebContainer runner could not run the tests: ${runnerError}`));
        else {
          const last = tail.length > 0 ? `; its last output was: ${tail.join(' / ')}` : '';
          finish(new Error(`the WebContainer run ended (exit code ${code}) without a report${last}`));
        }
      })().catch((error: unknown) => {
        stop(new Error(`WebContainer could not run the tests: ${error instanceof Error ? error.message : String(error)}`));
      });
    });
  }

  #emit(line: string): void {
    for (const listener of this.#listeners) {
      try {
        listener(line);
      } catch {
        // A broken terminal view must not break the run.
      }
    }
  }
}

/** Replaces the kata folder: request.json, and the learner's files under files/. */
async function writeInputs(container: WebContainerLike, request: RunRequest): Promise<void> {
  const runnerRequest: RunnerRequest = {
    slug: request.slug, seed: request.seed, suite: request.suite, ...(request.only ? { only: request.only } : {}),
  };
  const files = Object.entries(request.files).map(([path, source]) => [checkedPath(path), source] as const);
  await container.fs.rm(KATA_DIR, { recursive: true, force: true });
  const folders = new Set([`${KATA_DIR}/files`]);
  for (const [path] of files) {
    const slash = path.lastIndexOf('/');
    if (slash > 0) folders.add(`${KATA_DIR}/files/${path.slice(0, slash)}`);
  }
  for (const folder of folders) await container.fs.mkdir(folder, { recursive: true });
  await container.fs.writeFile(`${KATA_DIR}/request.json`, JSON.stringify(runnerRequest));
  for (const [path, source] of files) await container.fs.writeFile(`${KATA_DIR}/files/${path}`, source);
}

/** A learner's file path, which must stay inside the files folder. */
function checkedPath(path: string): string {
  const segments = path.split('/');
  if (path.startsWith('/') || segments.some((segment) => segment === '' || segment === '.' || segment === '..' || segment.includes('\\'))) {
    throw new Error(`the file name "${path}" is not a relative path like app.ts or lib/store.ts`);
  }
  return path;
}

/** Calls `line` for every line of the stream (without its break), linear in the output even for one huge line. */
async function readLines(stream: ReadableStream<string>, line: (text: string) => void): Promise<void> {
  const reader = stream.getReader();
  let parts: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let start = 0;
      for (let end = value.indexOf('\n'); end >= 0; end = value.indexOf('\n', start)) {
        parts.push(value.slice(start, end));
        line(parts.join(''));
        parts = [];
        start = end + 1;
      }
      if (start < value.length) parts.push(value.slice(start));
    }
  } catch {
    // The stream broke (the process was killed): what was read so far is all there is.
  } finally {
    reader.releaseLock();
  }
  if (parts.length > 0) line(parts.join(''));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
