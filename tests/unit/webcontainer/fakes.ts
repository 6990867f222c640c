// Test doubles for the WebContainer tests: a scriptable fake WebContainer, fake engines, and a deferred promise.
import type { FileSystemTree } from '@webcontainer/api';
import type { KataEngine, RunRequest } from '../../../src/engine/hosts/engine.ts';
import type { BootableEngine } from '../../../src/engine/hosts/webcontainer/choose.ts';
import type { WebContainerLike, WebContainerProcessLike } from '../../../src/engine/hosts/webcontainer/webcontainer-engine.ts';
import type { RunReport } from '../../../src/engine/testing/runner.ts';
import type { TestResult } from '../../../src/engine/testing/types.ts';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A process whose output and exit the test drives. */
export class FakeProcess implements WebContainerProcessLike {
  readonly command: string;
  readonly args: string[];
  readonly options: unknown;
  readonly output: ReadableStream<string>;
  readonly exit: Promise<number>;
  killed = false;
  #controller!: ReadableStreamDefaultController<string>;
  #exit = deferred<number>();
  #closed = false;

  constructor(command: string, args: string[], options: unknown) {
    this.command = command;
    this.args = args;
    this.options = options;
    this.output = new ReadableStream<string>({ start: (controller) => void (this.#controller = controller) });
    this.exit = this.#exit.promise;
  }

  print(text: string): void {
    if (!this.#closed) this.#controller.enqueue(text);
  }

  /** Ends the output stream, then the process, as a real process does. */
  end(code: number): void {
    if (!this.#closed) {
      this.#closed = true;
      this.#controller.close();
    }
    this.#exit.resolve(code);
  }

  /** Exits but leaves the output stream open (it may trail, or never close). */
  exitOnly(code: number): void {
    this.#exit.resolve(code);
  }

  kill(): void {
    this.killed = true;
    this.end(137);
  }
}

/** A WebContainer that records file operations and hands each spawned process to `onSpawn`. */
export class FakeContainer implements WebContainerLike {
  readonly files = new Map<string, string>();
  readonly folders = new Set<string>();
  readonly mounts: FileSystemTree[] = [];
  readonly spawned: FakeProcess[] = [];
  readonly log: string[] = [];
  tornDown = false;
  onSpawn: (process: FakeProcess, container: FakeContainer) => void = () => undefined;
  #errorListeners: ((error: { message: string }) => void)[] = [];

  readonly fs = {
    writeFile: async (path: string, data: string) => {
      this.log.push(`write ${path}`);
      this.files.set(path, data);
    },
    mkdir: async (path: string, _options: { recursive: true }) => {
      this.log.push(`mkdir ${path}`);
      this.folders.add(path);
      return path;
    },
    rm: async (path: string, _options?: { force?: boolean; recursive?: boolean }) => {
      this.log.push(`rm ${path}`);
      for (const file of [...this.files.keys()]) if (file === path || file.startsWith(`${path}/`)) this.files.delete(file);
      for (const folder of [...this.folders]) if (folder === path || folder.startsWith(`${path}/`)) this.folders.delete(folder);
    },
  };

  async mount(tree: FileSystemTree): Promise<void> {
    this.mounts.push(tree);
  }

  async spawn(command: string, args: string[], options?: unknown): Promise<FakeProcess> {
    const process = new FakeProcess(command, args, options);
    this.spawned.push(process);
    queueMicrotask(() => this.onSpawn(process, this));
    return process;
  }

  on(_event: 'error', listener: (error: { message: string }) => void): () => void {
    this.#errorListeners.push(listener);
    return () => undefined;
  }

  fail(message: string): void {
    for (const listener of this.#errorListeners) listener({ message });
  }

  teardown(): void {
    this.tornDown = true;
  }
}

export function result(name: string, status: TestResult['status'] = 'pass', message = ''): TestResult {
  return { name, status, message, seed: 1, durationMs: 3, events: [] };
}

export function report(results: TestResult[], seed = 1): RunReport {
  return {
    status: results.some((r) => r.status === 'error') ? 'error' : results.every((r) => r.status === 'pass') ? 'pass' : 'fail',
    seed, host: 'webcontainer', durationMs: 10, diagnostics: [], results,
  };
}

export interface FakeBehaviour {
  ready?: () => Promise<void>;
  run?: (request: RunRequest) => Promise<RunReport>;
}

/** An engine that answers every run with `report` (or what `run` decides), recording the requests. */
export class FakeEngine implements BootableEngine {
  readonly kind: KataEngine['kind'];
  readonly label: string;
  readonly behaviour: FakeBehaviour;
  readonly runs: RunRequest[] = [];
  disposed = false;
  readyCalls = 0;

  constructor(kind: KataEngine['kind'], label: string, behaviour: FakeBehaviour = {}) {
    this.kind = kind;
    this.label = label;
    this.behaviour = behaviour;
  }

  ready(): Promise<void> {
    this.readyCalls += 1;
    return this.behaviour.ready?.() ?? Promise.resolve();
  }

  async run(request: RunRequest, onResult?: (result: TestResult) => void): Promise<RunReport> {
    this.runs.push(request);
    const answer = await (this.behaviour.run?.(request) ?? Promise.resolve(report([result(`${this.kind} test`)])));
    answer.results.forEach((r) => onResult?.(r));
    return answer;
  }

  dispose(): void {
    this.disposed = true;
  }
}
