// What a kata's platform runs around the learner's code (kata.json): its process types, build step, config vars and
// schedules. Every place that runs a kata (CLI, verify, the browser's supervisor, WebContainer, bench) takes them here,
// so a new platform field reaches all of them at once.
import type { RunOptions } from '../testing/runner.ts';
import type { KataMeta } from './schema.ts';

export type Platform = Pick<RunOptions, 'processes' | 'build' | 'vars' | 'schedules'>;

export function platformOf(meta: Pick<KataMeta, 'processes' | 'build' | 'vars' | 'schedules'>): Platform {
  return { processes: meta.processes, build: meta.build, vars: meta.vars, schedules: meta.schedules };
}
