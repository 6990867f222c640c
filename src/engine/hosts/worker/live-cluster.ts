// The page's handle on an interactive cluster (live.worker.ts): each call is one step the reader took.
import type { FromLive, ToLive } from './live.worker.ts';
import type { LiveAnswer, LiveState } from '../../testing/live-session.ts';
import type { BalancerPolicy } from '../../core/balancer.ts';

type Without<T> = T extends unknown ? Omit<T, 'id'> : never;

export class LiveCluster {
  readonly #worker = new Worker(new URL('./live.worker.ts', import.meta.url), { type: 'module', name: 'dojo-live-cluster' });
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  #nextId = 1;

  constructor() {
    this.#worker.addEventListener('message', (event: MessageEvent<FromLive>) => {
      const pending = this.#pending.get(event.data.id);
      if (!pending) return;
      this.#pending.delete(event.data.id);
      if (event.data.ok) pending.resolve(event.data.value);
      else pending.reject(new Error(event.data.message));
    });
    this.#worker.addEventListener('error', (event) => {
      event.preventDefault();
      for (const pending of this.#pending.values()) pending.reject(new Error(event.message || 'the cluster stopped'));
      this.#pending.clear();
    });
  }

  open(slug: string, code: 'starter' | 'solution', count: number): Promise<LiveState> {
    return this.#call({ op: 'open', slug, code, count }) as Promise<LiveState>;
  }

  send(spec: string): Promise<{ answer: LiveAnswer; state: LiveState }> {
    return this.#call({ op: 'send', spec }) as Promise<{ answer: LiveAnswer; state: LiveState }>;
  }

  restart(name: string): Promise<LiveState> {
    return this.#call({ op: 'restart', name }) as Promise<LiveState>;
  }

  kill(name: string): Promise<LiveState> {
    return this.#call({ op: 'kill', name }) as Promise<LiveState>;
  }

  balance(policy: BalancerPolicy): Promise<LiveState> {
    return this.#call({ op: 'balance', policy }) as Promise<LiveState>;
  }

  dispose(): void {
    this.#worker.terminate();
  }

  #call(message: Without<ToLive>): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
    });
  }
}
