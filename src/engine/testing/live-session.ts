// An interactive cluster (not a test run): a kata's app as N processes a reader drives by hand, one step at a time.
// Lessons use it through the LiveCluster component; it builds the same cluster, services and clock as a test.
import type { PlatformSchedule } from '../services/queue.ts';
import { Cluster, type ProcessRef } from '../core/cluster.ts';
import { VirtualClock } from '../core/clock.ts';
import { Trace, type StampedEvent } from '../core/trace.ts';
import { createRandom } from '../core/rng.ts';
import { compileFiles } from '../core/compile.ts';
import { createServices, type Services } from '../services/index.ts';
import type { ProcessHost } from '../process/protocol.ts';
import type { BalancerPolicy } from '../core/balancer.ts';
import { createClient } from './client.ts';
import type { Client, RequestOptions } from './types.ts';

export interface LiveOptions {
  host: ProcessHost;
  files: Record<string, string>;
  /** process type → entry file */
  processes: Record<string, string>;
  build?: string;
  vars?: Record<string, string>;
  schedules?: readonly PlatformSchedule[];
  /** how many web processes */
  count: number;
  seed?: number;
}

/** What one request got, in a form that crosses a worker boundary. */
export interface LiveAnswer {
  request: string;
  status: number;
  body: string;
  servedBy: string;
  generation: number;
}

/** The state a view draws after every step. */
export interface LiveState {
  processes: ProcessRef[];
  policy: BalancerPolicy;
  /** trace events since the session started (the view shows the newest) */
  events: StampedEvent[];
}

/**
 * "GET /", "POST /login form user=ada", "POST /avatar/ada picture avatar", or a text file in a form field,
 * "POST /lists/team/import file file team.csv text/csv name,email%0AAda,ada@example.com" (field, file name, type,
 * then the content, percent-encoded so it holds no spaces): what a lesson offers the reader.
 */
export function parseRequest(spec: string): { method: string; path: string; options: RequestOptions } {
  const [method = 'GET', path = '/', kind, ...rest] = spec.trim().split(/\s+/);
  if (kind === 'form') return { method, path, options: { form: Object.fromEntries(new URLSearchParams(rest.join('&'))) } };
  if (kind === 'json') return { method, path, options: { json: JSON.parse(rest.join(' ')) } };
  if (kind === 'picture') {
    // A 1×1 PNG: the smallest real picture an upload form accepts.
    const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (c) => c.charCodeAt(0));
    return { method, path, options: { multipart: { [rest[0] ?? 'file']: { name: 'me.png', type: 'image/png', data: png } } } };
  }
  if (kind === 'file') {
    const [field = 'file', name = 'file.txt', type = 'text/plain', content = ''] = rest;
    return { method, path, options: { multipart: { [field]: { name, type, data: decodeURIComponent(content) } } } };
  }
  return { method, path, options: {} };
}

export class LiveSession {
  readonly #options: LiveOptions;
  readonly #clock = new VirtualClock();
  readonly #services: Services;
  readonly #trace: Trace;
  readonly #cluster: Cluster;
  readonly #client: Client;
  #policy: BalancerPolicy = 'random';

  constructor(options: LiveOptions) {
    this.#options = options;
    const seed = options.seed ?? 1;
    this.#services = createServices(this.#clock);
    for (const schedule of options.schedules ?? []) this.#services.queue.declare(schedule);
    this.#trace = new Trace(() => this.#clock.now());
    this.#cluster = new Cluster({
      host: options.host,
      app: { modules: compileFiles(options.files), sources: options.files, processes: options.processes, build: options.build, vars: options.vars },
      services: this.#services as unknown as ConstructorParameters<typeof Cluster>[0]['services'],
      trace: this.#trace, clock: this.#clock, random: createRandom(seed), seed,
    });
    this.#client = createClient(this.#cluster, () => this.#clock.now());
  }

  async start(): Promise<LiveState> {
    await this.#cluster.start({ web: this.#options.count });
    return this.state();
  }

  async send(spec: string): Promise<LiveAnswer> {
    const { method, path, options } = parseRequest(spec);
    const response = await this.#client.request(method, path, options);
    // Time moves on a little between a reader's clicks, as it would between real visits.
    await this.#cluster.advance(1000); // timers due on the way fire, as in a test
    return { request: `${method} ${path}`, status: response.status, body: response.text(), servedBy: response.servedBy, generation: response.generation };
  }

  async restart(name: string): Promise<LiveState> {
    await this.#cluster.restart(name);
    return this.state();
  }

  async kill(name: string): Promise<LiveState> {
    await this.#cluster.kill(name);
    return this.state();
  }

  balance(policy: BalancerPolicy): LiveState {
    this.#policy = policy;
    this.#cluster.balance(policy);
    return this.state();
  }

  state(): LiveState {
    return { processes: this.#cluster.processes(), policy: this.#policy, events: [...this.#trace.events] };
  }

  async dispose(): Promise<void> {
    this.#cluster.shutdown();
    await this.#services.close();
  }
}
