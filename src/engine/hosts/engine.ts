// What the kata page asks of an engine, whichever host runs it (offline Web Workers or WebContainer).
import type { RunReport } from '../testing/runner.ts';
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

export interface KataEngine {
  readonly kind: 'offline' | 'webcontainer';
  /** human name shown in the "which engine ran" notice */
  readonly label: string;
  run(request: RunRequest, onResult?: (result: TestResult) => void): Promise<RunReport>;
  dispose(): void;
}
