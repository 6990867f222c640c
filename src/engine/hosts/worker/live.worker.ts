// A worker that runs one interactive cluster for a lesson's LiveCluster (see testing/live-session.ts): its processes
// are nested workers, as in the supervisor; the page sends one step at a time.
import { platformOf } from '../../kata/platform.ts';
import { WorkerHost } from './host.ts';
import { workerScope } from './scope.ts';
import { loadBundledKata } from '../../kata/load-bundled.ts';
import { LiveSession } from '../../testing/live-session.ts';
import type { BalancerPolicy } from '../../core/balancer.ts';

export type ToLive =
  | { id: number; op: 'open'; slug: string; code: 'starter' | 'solution'; count: number }
  | { id: number; op: 'send'; spec: string }
  | { id: number; op: 'restart' | 'kill'; name: string }
  | { id: number; op: 'balance'; policy: BalancerPolicy }
  | { id: number; op: 'close' };

export type FromLive = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

const scope = workerScope();
const host = new WorkerHost({ spares: 1 });
let session: LiveSession | undefined;
// One step at a time, in the order the reader clicked.
let queue: Promise<unknown> = Promise.resolve();

scope.addEventListener('message', (event: MessageEvent<ToLive>) => {
  const message = event.data;
  queue = queue.then(async () => {
    try {
      scope.postMessage({ id: message.id, ok: true, value: await handle(message) } satisfies FromLive);
    } catch (error) {
      scope.postMessage({ id: message.id, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies FromLive);
    }
  });
});

async function handle(message: ToLive): Promise<unknown> {
  if (message.op === 'open') {
    await session?.dispose();
    const kata = await loadBundledKata(message.slug);
    session = new LiveSession({
      host, files: message.code === 'solution' ? kata.solution : kata.starter,
      ...platformOf(kata.meta), count: message.count,
    });
    return session.start();
  }
  if (!session) throw new Error('the cluster is not started');
  if (message.op === 'send') return { answer: await session.send(message.spec), state: session.state() };
  if (message.op === 'restart') return session.restart(message.name);
  if (message.op === 'kill') return session.kill(message.name);
  if (message.op === 'balance') return session.balance(message.policy);
  await session.dispose();
  session = undefined;
  await host.dispose();
  return null;
}
