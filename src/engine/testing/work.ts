// How much work the build and each process generation did, read from a run's trace: to tell where work happened.
import type { TraceEvent } from '../core/trace.ts';

/**
 * One process generation's work, in steps (loop iterations and function calls of the app's code, counted the same
 * on any machine): at start-up (its module and `start()`), answering requests, and both together.
 */
export interface GenerationWork {
  process: string;
  generation: number;
  start: number;
  requests: number;
  total: number;
}

export interface WorkDone {
  /** steps each release's build step ran, by release number */
  builds: Record<number, number>;
  /** every process generation that started or answered, in the order it first appears in the trace */
  processes: GenerationWork[];
  /** the generation that did the most work, if any process ran */
  busiest?: GenerationWork;
}

/**
 * Work is how a test can see *where* something was done without timing anything: compiling assets in the build
 * step shows up once, on the release; compiling them at start-up or on a request shows up on every process that
 * does it, each time it starts. Events without a `work` count (balancer answers, the platform's assets) add nothing.
 */
export function workDone(events: readonly TraceEvent[]): WorkDone {
  const builds: Record<number, number> = {};
  const byGeneration = new Map<string, GenerationWork>();
  const entry = (process: string, generation: number): GenerationWork => {
    const key = `${process}#${generation}`;
    let found = byGeneration.get(key);
    if (!found) byGeneration.set(key, (found = { process, generation, start: 0, requests: 0, total: 0 }));
    return found;
  };
  for (const event of events) {
    if (event.kind === 'release' && event.work !== undefined) builds[event.release] = (builds[event.release] ?? 0) + event.work;
    else if (event.kind === 'start' && event.work !== undefined) {
      const generation = entry(event.process, event.generation);
      generation.start += event.work;
      generation.total += event.work;
    } else if (event.kind === 'response' && event.work !== undefined) {
      const generation = entry(event.process, event.generation);
      generation.requests += event.work;
      generation.total += event.work;
    }
  }
  const processes = [...byGeneration.values()];
  const busiest = processes.reduce<GenerationWork | undefined>((most, next) => (!most || next.total > most.total ? next : most), undefined);
  return { builds, processes, ...(busiest ? { busiest } : {}) };
}
