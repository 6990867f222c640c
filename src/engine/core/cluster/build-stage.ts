// The build stage: one throwaway process runs the kata's build once per release; its disk is every process's start.
import type { ProcessHost, WireError } from '../../process/protocol.ts';
import { LearnerError, describeWireError, locationOf } from '../errors.ts';
import { checkInbound } from '../inbound.ts';
import type { ClusterLimits } from '../limits.ts';
import { deriveSeed } from '../rng.ts';
import type { Trace } from '../trace.ts';
import { bootMessage, type ClusterApp } from './boot-message.ts';
import { serveCall, type ServiceTable } from './service-calls.ts';

export interface BuildContext {
  host: ProcessHost;
  app: ClusterApp & { build: string };
  services: ServiceTable;
  trace: Trace;
  limits: ClusterLimits;
  seed: number;
  release: number;
  now(): number;
}

/** What a build made: the disk every process of the release starts with, and the steps its code ran to make it. */
export interface Built {
  disk: Record<string, Uint8Array>;
  work?: number;
}

export async function runBuild(context: BuildContext): Promise<Built> {
  const { host, app, trace, limits, release, now } = context;
  const port = await host.spawn();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise((resolve, reject) => {
      // Runaway work is caught by its step budget; this is only the last resort.
      timer = setTimeout(() => reject(new LearnerError(`the build step did not finish within ${limits.lastResortMs / 1000} s`)), limits.lastResortMs);
      const fail = (error: WireError) => reject(new LearnerError(`the build step failed: ${describeWireError(error)}`, locationOf(error)));
      port.onDeath((reason) => reject(new LearnerError(`the build step ${reason}`)));
      port.onMessage((raw) => {
        const checked = checkInbound(raw);
        if (!checked.ok) return reject(new LearnerError(`the build step ${checked.reason}`));
        const message = checked.message;
        if (message.t === 'ready') port.send({ t: 'build', now: now() });
        else if (message.t === 'boot-error' || message.t === 'build-error' || message.t === 'fatal' || message.t === 'runaway') fail(message.error);
        else if (message.t === 'built') resolve({ disk: message.disk, ...(message.work !== undefined ? { work: message.work } : {}) });
        else if (message.t === 'call') {
          serveCall(context.services, trace, {
            process: 'build', generation: release, reply: (answer) => port.send(answer), answered: () => undefined,
          }, message);
        } else if (message.t === 'log') trace.add({ kind: 'log', process: 'build', generation: release, level: message.level, text: message.text });
      });
      const info = { name: 'build', type: 'build', index: 1, generation: release, seed: deriveSeed(context.seed, 'build', release) };
      port.send(bootMessage(app, app.build, {}, info, now(), limits));
    });
  } finally {
    clearTimeout(timer);
    port.terminate();
  }
}
