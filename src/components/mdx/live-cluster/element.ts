// <dojo-live-cluster>: a lesson's live cluster. Owns its DOM: request and balancer controls, one row per process with
// Restart and Kill, the last answer (announced), and a log of every step. Drives the engine's interactive cluster.
import { LiveCluster } from '../../../engine/hosts/worker/live-cluster.ts';
import type { LiveAnswer, LiveState } from '../../../engine/testing/live-session.ts';
import type { BalancerPolicy } from '../../../engine/core/balancer.ts';

const POLICIES: { value: BalancerPolicy; label: string }[] = [
  { value: 'random', label: 'Random (never sticks)' },
  { value: 'round-robin', label: 'Round-robin (each in turn)' },
  { value: 'sticky', label: 'Sticky (a violation)' },
];
const KEEP_LOG = 40;

const el = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

export async function startLiveCluster(host: HTMLElement): Promise<void> {
  if (host.dataset.state) return;
  host.dataset.state = 'starting';
  const slug = host.dataset.kata ?? '';
  const code = host.dataset.code === 'solution' ? 'solution' : 'starter';
  const count = Number(host.dataset.processes ?? 3);
  let requests: string[] = ['GET /'];
  try {
    requests = JSON.parse(host.dataset.requests ?? '["GET /"]');
  } catch {
    // keep GET /
  }

  const status = el('p', { className: 'lc-status' }, 'Starting the processes…');
  status.setAttribute('role', 'status');
  const answer = el('p', { className: 'lc-answer' });
  answer.setAttribute('aria-live', 'polite');
  answer.setAttribute('aria-label', 'Last answer');
  const requestChoice = el('select', { className: 'lc-request' }, ...requests.map((spec) => el('option', { value: spec }, describe(spec))));
  const send = el('button', { type: 'button', className: 'button primary' }, 'Send the request');
  const policy = el('select', { className: 'lc-policy' }, ...POLICIES.map(({ value, label }) => el('option', { value }, label)));
  const processes = el('ul', { className: 'lc-processes' });
  processes.setAttribute('aria-label', 'Processes');
  const log = el('ol', { className: 'lc-log' });
  log.setAttribute('aria-label', 'What happened, step by step');
  const again = el('button', { type: 'button', className: 'button' }, 'Start over');
  const requestLabel = el('label', {}, 'Request ', requestChoice);
  const policyLabel = el('label', {}, 'Load balancer ', policy);
  host.replaceChildren(
    status,
    el('div', { className: 'lc-row' }, requestLabel, send, policyLabel),
    processes,
    answer,
    el('h4', {}, 'Step by step'),
    log,
    el('div', { className: 'lc-row' }, again),
  );

  const cluster = new LiveCluster();
  let busy = false;
  // One step at a time: clicks during a step are ignored (the buttons say so to assistive technology).
  const step = async (work: () => Promise<void>) => {
    if (busy) return;
    busy = true;
    host.setAttribute('aria-busy', 'true');
    try {
      await work();
    } catch (error) {
      status.textContent = `Something went wrong: ${(error as Error).message}`;
    } finally {
      busy = false;
      host.removeAttribute('aria-busy');
    }
  };
  const note = (text: string, lifecycle = false) => {
    const item = el('li', { className: lifecycle ? 'lc-lifecycle' : '' }, text);
    log.append(item);
    while (log.children.length > KEEP_LOG) log.firstElementChild!.remove();
    log.scrollTop = log.scrollHeight;
  };
  const draw = (state: LiveState) => {
    processes.replaceChildren(...state.processes.map((process) => {
      const restart = el('button', { type: 'button', className: 'button' }, 'Restart');
      restart.setAttribute('aria-label', `Restart ${process.name}`);
      restart.addEventListener('click', () => void step(async () => {
        const next = await cluster.restart(process.name);
        const generation = next.processes.find((candidate) => candidate.name === process.name)?.generation;
        note(`${process.name} restarted: its memory was wiped (now generation ${generation}).`, true);
        draw(next);
      }));
      const kill = el('button', { type: 'button', className: 'button' }, 'Kill');
      kill.setAttribute('aria-label', `Kill ${process.name}`);
      kill.addEventListener('click', () => void step(async () => {
        const next = await cluster.kill(process.name);
        const generation = next.processes.find((candidate) => candidate.name === process.name)?.generation;
        note(`${process.name} was killed mid-flight (no shutdown); the platform started generation ${generation}.`, true);
        draw(next);
      }));
      return el('li', {}, el('span', { className: 'lc-process-name' }, process.name), `generation ${process.generation}`, restart, kill);
    }));
    policy.value = state.policy;
  };
  const tell = (got: LiveAnswer) => {
    const text = `${got.request} → ${got.servedBy} (generation ${got.generation}): ${got.status} ${got.body.length > 200 ? `${got.body.slice(0, 199)}…` : got.body}`;
    answer.textContent = text;
    note(text);
  };
  const open = () => step(async () => {
    log.replaceChildren();
    answer.textContent = '';
    status.textContent = 'Starting the processes…';
    draw(await cluster.open(slug, code, count));
    status.textContent = `${count} processes of the ${slug} app are running ${code === 'starter' ? 'the starter code' : 'the reference solution'}. Send requests, restart or kill a process, and watch the answers.`;
    host.dataset.state = 'ready';
  });

  send.addEventListener('click', () => void step(async () => {
    const { answer: got, state } = await cluster.send(requestChoice.value);
    tell(got);
    draw(state);
  }));
  policy.addEventListener('change', () => void step(async () => {
    draw(await cluster.balance(policy.value as BalancerPolicy));
    note(`The load balancer is now ${POLICIES.find(({ value }) => value === policy.value)!.label.toLowerCase()}.`, true);
  }));
  again.addEventListener('click', () => void open());
  addEventListener('pagehide', () => cluster.dispose());
  await open();
}

/**
 * "POST /login form user=ada" → "POST /login (user=ada)"; "POST /avatar/ada picture avatar" → "POST /avatar/ada (a picture)";
 * "POST /lists/team/import file file team.csv text/csv …" → "POST /lists/team/import (the file team.csv)".
 */
function describe(spec: string): string {
  const [method = 'GET', path = '/', kind, ...rest] = spec.trim().split(/\s+/);
  if (kind === 'picture') return `${method} ${path} (a picture)`;
  if (kind === 'file') return `${method} ${path} (the file ${rest[1] ?? 'file.txt'})`;
  if (kind) return `${method} ${path} (${rest.join(' ')})`;
  return `${method} ${path}`;
}
