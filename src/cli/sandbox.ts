// Grades one learner's copied files in a child Node under the permission model, with an empty environment, and
// takes its report only over the IPC channel: learner code runs in that child's worker threads.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { JsonReport } from '../engine/kata/report.ts';
import { processEntryCode, PROCESS_ENTRY_FILE_VARIABLE } from '../engine/hosts/node/bundle.ts';
import { tempFolder, track } from './cleanup.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = join(import.meta.dirname, 'sandbox-child.ts');

/**
 * What the child reads of the repository: the engine, the katas and the packages, never the whole of it, since an
 * instructor's class folder is often inside it (./hand-ins) and holds the other learners' work.
 */
const REPOSITORY_READS = ['package.json', 'src', 'katas', 'node_modules'];

/** Set to "off" to run the child without the permission model (debugging the engine itself). */
export const SANDBOX_VARIABLE = 'DOJO_SANDBOX';

/** The only variables the child gets: none of the grader's secrets (tokens, keys) can reach learner code. */
const PASSED_ON = ['PATH', 'SYSTEMROOT', 'CI', 'NO_COLOR', 'FORCE_COLOR'];

/** A wedged child must not stop the class's grading: past this it is killed and the learner gets `error`. */
export const LEARNER_TIME_LIMIT_MS = 10 * 60_000;

/** What the child grades: `dir` is the learner's copy. */
export interface Job {
  slug: string;
  dir: string;
  seed: number;
  only?: string[];
  sample: boolean;
  /** the command that replays a run, without its --seed, for the text report */
  replay: string | null;
}

/** The child's one message: its report in both forms, or why it could not grade. */
export type ChildMessage = { kind: 'report'; json: JsonReport; text: string } | { kind: 'error'; message: string };

export type Outcome = { json: JsonReport; text: string } | { error: string };

/** The run's temporary folder (learner copies go in it) and the process entry, bundled here: the child may not start esbuild. */
export interface Workspace {
  root: string;
  entryFile?: string;
}

export async function prepareWorkspace(): Promise<Workspace> {
  const root = tempFolder('dojo-grade-');
  const code = await processEntryCode();
  if (!code) return { root };
  const entryFile = join(root, 'process-entry.cjs');
  writeFileSync(entryFile, code);
  return { root, entryFile };
}

export function childEnv(env: NodeJS.ProcessEnv, entryFile?: string): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of PASSED_ON) if (env[name] !== undefined) kept[name] = env[name]!;
  if (entryFile) kept[PROCESS_ENTRY_FILE_VARIABLE] = entryFile;
  return kept;
}

/**
 * Node flags for the child: it reads the repository (the engine, the kata and its hidden tests) and this learner's
 * copy only, never the original hand-ins nor other learners' copies. The hidden tests are readable by the child:
 * acceptable at this layer, as the engine itself seals learner code off from the real filesystem.
 */
export function childFlags(readable: string[], sandbox = process.env[SANDBOX_VARIABLE] !== 'off'): string[] {
  if (!sandbox) return [];
  return [
    '--permission',
    ...[...REPOSITORY_READS.map((part) => join(ROOT, part)), ...readable].map((path) => `--allow-fs-read=${path}`),
    '--allow-worker', // each process is a worker thread; workers inherit these same limits
    '--disable-warning=SecurityWarning',
  ];
}

/** Grade one copy in a fresh child: whatever the learner's code does, this resolves (never rejects) with an Outcome. */
export function gradeInSandbox(job: Job, workspace: Workspace): Promise<Outcome> {
  return new Promise((done) => {
    const readable = [job.dir, ...(workspace.entryFile ? [workspace.entryFile] : [])];
    // The child's stdout is not the report (its code is not the only code in that process): it goes to our stderr.
    const child = spawn(process.execPath, [...childFlags(readable), ...process.execArgv, CHILD, JSON.stringify(job)], {
      cwd: ROOT,
      env: childEnv(process.env, workspace.entryFile),
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      serialization: 'json',
    });
    track(child);
    createInterface({ input: child.stdout! }).on('line', (line) => process.stderr.write(`sandbox stdout: ${line}\n`));
    const messages: unknown[] = [];
    child.on('message', (message) => messages.push(message));
    const timer = setTimeout(() => child.kill('SIGKILL'), LEARNER_TIME_LIMIT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ error: `the sandboxed grader could not start: ${error.message}` });
    });
    // 'close' comes after the IPC channel has closed too, so every message is in.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ended = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ' (time limit or memory)' : ''}` : `exit code ${code}`;
      if (messages.length > 1) return done({ error: `the sandboxed grader sent ${messages.length} reports, not one (${ended})` });
      const message = messages[0];
      if (message === undefined) return done({ error: `the sandboxed grader stopped without a report (${ended})` });
      done(checked(message, job.slug) ?? { error: `the sandboxed grader sent a malformed report (${ended})` });
    });
  });
}

/** The outcome a child's message stands for, or undefined when it is not a well-formed report. */
export function checked(message: unknown, slug: string): Outcome | undefined {
  const m = message as Partial<{ kind: string; json: Partial<JsonReport>; text: unknown; message: unknown }>;
  if (m?.kind === 'error' && typeof m.message === 'string') return { error: m.message };
  if (m?.kind !== 'report' || typeof m.text !== 'string') return undefined;
  const json = m.json;
  const status = (value: unknown) => value === 'pass' || value === 'fail' || value === 'error';
  const ok = json?.version === 1 && json.kata === slug && status(json.status) && typeof json.seed === 'number'
    && Array.isArray(json.tests) && json.tests.every((test) => typeof test?.name === 'string' && status(test.status));
  return ok ? { json: json as JsonReport, text: m.text } : undefined;
}
