// What the kata page asks of an engine, whichever host runs it (offline Web Workers or WebContainer).
import type { RunReport, RunStatus } from '../testing/runner.ts';
import type { TestResult } from '../testing/types.ts';

export interface RunRequest {
  slug: string;
  /** the learner's files: path → source */
  files: Record<string, string>;
  seed: number;
  suite: 'hidden' | 'sample';
  /** only these tests (a replay of one failing test) */
  only?: string[];
}

export interface EngineCheck {
  subject: string;
  expectation: string;
  ok: boolean;
  detail: string;
  /** test name → status, for parity checks between hosts */
  statuses: Record<string, TestResult['status']>;
}

/** What a caller may add to a run. */
export interface RunHooks {
  /** stops the run: its promise rejects with the signal's reason and no more of its results are reported */
  signal?: AbortSignal;
  /** the run waits for something that is no test's doing ('starting-database'), or goes on ('running') */
  onStatus?: (status: RunStatus) => void;
}

export interface KataEngine {
  readonly kind: 'offline' | 'webcontainer';
  /** human name shown in the "which engine ran" notice */
  readonly label: string;
  run(request: RunRequest, onResult?: (result: TestResult) => void, hooks?: RunHooks): Promise<RunReport>;
  dispose(): void;
}
