// The message that starts a process (or the build step): the app's code, its starting disk and its identity.
import type { ProcessInfo, ToProcess } from '../../process/protocol.ts';
import type { ClusterLimits } from '../limits.ts';

export interface ClusterApp {
  /** compiled learner modules, by file */
  modules: Record<string, string>;
  /** the learner's own sources, to map error columns back from compiled code */
  sources?: Record<string, string>;
  /** process type → entry file */
  processes: Record<string, string>;
  /** entry file of the build step, if the kata has one */
  build?: string;
  vars?: Record<string, string>;
}

export function bootMessage(
  app: ClusterApp,
  entry: string,
  disk: Record<string, Uint8Array>,
  info: ProcessInfo,
  now: number,
  limits: ClusterLimits,
): Extract<ToProcess, { t: 'boot' }> {
  return {
    t: 'boot', modules: app.modules, sources: app.sources ?? {}, entry, disk, vars: app.vars ?? {}, now, info,
    ...(limits.budget ? { budget: limits.budget } : {}),
  };
}
