// Timeline view of a kata test run: which request hit which process generation, what a restart wiped, why the test failed.
import type { TestResult } from '../engine/testing/types.ts';
import {
  buildTimeline, storyLines, endTitle, formatDuration, DEFAULT_MAX_STEPS, MAX_CONSOLE_LINES,
  type TimelineCall, type TimelineLane, type TimelineModel, type TimelineStep, type TimelineStepKind,
} from '../engine/core/story.ts';

export * from '../engine/core/story.ts';

// ---------------------------------------------------------------------------------------------
// Rendering (DOM)
// ---------------------------------------------------------------------------------------------

export interface RenderOptions {
  /** called when the learner picks a step (click, Enter or Space on its title) */
  onSelectStep?(step: TimelineStep): void;
  /** show at most this many steps; default 200 */
  maxSteps?: number;
  /** level of the section headings (default 3) */
  headingLevel?: 2 | 3 | 4 | 5;
  /**
   * the test's name and message are already shown right above the timeline (the kata page's detail): leave out the
   * summary box and say "the test failed here" without repeating the message (default false)
   */
  messageShownAbove?: boolean;
}

const SYMBOL: Record<TimelineStepKind, string> = {
  request: '●',
  start: '▶',
  stop: '⟳',
  kill: '✕',
  crash: '⚡',
  call: '↳',
  note: '✎',
  clock: '◷',
  release: '⬆',
  chaos: '☢',
  timer: '⏲',
  job: '⚙',
  asset: '▤',
  stream: '≋',
  fail: '✗',
};

const KIND_WORD: Record<TimelineStepKind, string> = {
  request: 'request',
  start: 'start',
  stop: 'graceful restart or stop',
  kill: 'kill',
  crash: 'crash',
  call: 'backing-service call',
  note: 'note',
  clock: 'clock advance',
  release: 'release',
  chaos: 'chaos',
  timer: 'timer',
  job: 'job',
  asset: 'static file served by the platform',
  stream: 'event stream',
  fail: 'failure',
};

let renderCount = 0;

/** Render the timeline, the story and the console panel of a test result into `container` (its children are replaced). */
export function renderTimeline(container: HTMLElement, result: TestResult, options: RenderOptions = {}): TimelineModel {
  const doc = container.ownerDocument;
  const id = `tl-${++renderCount}`;
  const level = options.headingLevel ?? 3;
  const model = buildTimeline(result.events, { maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS });
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const heading = (text: string, headingId: string, offset = 0) => {
    const h = el(`h${Math.min(6, level + offset)}` as 'h3', 'tl-heading', text);
    h.id = headingId;
    return h;
  };

  const root = el('div', 'tl');
  root.dataset['status'] = result.status;
  root.style.setProperty('--tl-lanes', String(model.lanes.length));

  // --- summary ---
  const above = options.messageShownAbove === true;
  const summary = el('p', `tl-summary tl-summary--${result.status}`);
  const badge = el('span', 'tl-badge', result.status === 'pass' ? '✓ Passed' : result.status === 'fail' ? '✗ Failed' : '⚠ Error');
  summary.append(badge, ' ', el('span', 'tl-test-name', result.message ? `${result.name}:` : result.name));
  if (result.message) summary.append(el('span', 'tl-summary-message', result.message));
  if (!above) root.append(summary);

  // --- story ---
  const storySection = el('section', 'tl-section tl-story-section');
  storySection.setAttribute('aria-labelledby', `${id}-story`);
  storySection.append(heading('What happened', `${id}-story`));
  const sentences = storyLines(result.events);
  const storyList = el('ol', 'tl-story');
  for (const { kind, text } of sentences) {
    const failed = kind === 'fail'; // by kind, never by the sentence's wording
    const li = el('li', failed ? 'tl-story-fail' : undefined);
    if (failed) li.append(el('span', 'tl-icon', '✗ '));
    li.append(doc.createTextNode(above && failed ? 'The test failed here (the reason is above).' : text));
    storyList.append(li);
  }
  if (sentences.length === 0) storySection.append(el('p', 'tl-empty', 'Nothing ran: no process was started.'));
  else storySection.append(storyList);
  root.append(storySection);

  // --- visual timeline ---
  const timeline = el('section', 'tl-section tl-timeline-section');
  timeline.setAttribute('aria-labelledby', `${id}-timeline`);
  timeline.append(heading('Timeline', `${id}-timeline`));
  const intro = el('p', 'tl-intro',
    `One column per process generation (a restart starts a new column), one row per step, in order. ${plural(model.totalSteps, 'step')} across ${plural(model.lanes.length - 1, 'process generation')}.`);
  timeline.append(intro, legend(el));
  if (model.hiddenSteps > 0) {
    timeline.append(el('p', 'tl-hidden-note', `… ${model.hiddenSteps} earlier steps not shown (the last ${model.steps.length} are).`));
  }

  const scroller = el('div', 'tl-scroll');
  scroller.tabIndex = 0;
  scroller.setAttribute('role', 'region');
  scroller.setAttribute('aria-label', 'Timeline steps (scrolls sideways when there are many lanes)');
  const laneIndex = new Map(model.lanes.map((l, i) => [l.id, i + 2] as const));

  const header = el('ul', 'tl-lanes');
  header.setAttribute('aria-label', 'Lanes');
  const corner = el('li', 'tl-corner', 'Step');
  corner.setAttribute('aria-hidden', 'true');
  header.append(corner);
  for (const l of model.lanes) {
    const li = el('li', `tl-lane tl-lane--${l.kind}${l.end ? ` tl-lane--ended tl-lane--${l.end.kind}` : ''}`);
    li.style.gridColumn = String(laneIndex.get(l.id));
    li.append(el('span', 'tl-lane-name', l.label));
    li.append(el('span', 'tl-lane-state', laneState(l)));
    header.append(li);
  }

  const rows = el('ol', 'tl-steps');
  rows.setAttribute('aria-label', `Steps${model.hiddenSteps ? ` ${model.hiddenSteps + 1} to ${model.totalSteps}` : ''}`);
  if (model.hiddenSteps > 0) rows.start = model.hiddenSteps + 1;
  const lanesById = new Map(model.lanes.map((l) => [l.id, l] as const));
  // What a step expands to show comes from the trace itself: the response of each request, each call in full.
  const responses = new Map<number, ResponseEvent>();
  const callsBySeq = new Map<number, CallEvent>();
  for (const event of result.events) {
    if (event.kind === 'response') responses.set(event.id, event);
    else if (event.kind === 'call') callsBySeq.set(event.seq, event);
  }
  let selected: HTMLElement | undefined;
  for (const s of model.steps) {
    const li = el('li', `tl-row tl-row--${s.kind}${s.failing ? ' tl-row--failing' : ''}`);
    li.dataset['seq'] = String(s.seq);
    const when = el('div', 'tl-when');
    const num = el('span', 'tl-num', `${s.index + 1}`);
    num.setAttribute('aria-hidden', 'true');
    when.append(num);
    if (s.at > model.startAt) when.append(el('span', 'tl-time', `t+${formatDuration(s.at - model.startAt)}`));
    li.append(when);

    // threads: the lanes alive at this step
    for (const l of model.lanes) {
      if (l.id === s.lane || l.kind === 'balancer' || s.kind === 'fail' || !alive(l, s.seq)) continue;
      const thread = el('span', 'tl-thread');
      thread.setAttribute('aria-hidden', 'true');
      thread.style.gridColumn = String(laneIndex.get(l.id));
      li.append(thread);
    }

    const mark = el('div', `tl-mark tl-mark--${s.kind}${statusClass(s)}`);
    // the failure reads across every lane: it is the verdict on the whole run
    mark.style.gridColumn = s.kind === 'fail' ? '2 / -1' : String(laneIndex.get(s.lane) ?? 2);
    const where = lanesById.get(s.lane);
    mark.append(el('span', 'tl-sr', `${where ? where.label.replace(' #', ', generation ') : s.lane}, ${KIND_WORD[s.kind]}: `));
    if (s.failing) mark.append(el('strong', 'tl-fail-flag', s.kind === 'fail' ? '✗ The test failed' : '✗ Failed here'));
    const symbol = el('span', 'tl-symbol', SYMBOL[s.kind]);
    symbol.setAttribute('aria-hidden', 'true');
    const call = s.kind === 'call' ? s.calls[0] : undefined;
    const titleText = s.kind === 'fail' ? (above ? '' : (s.detail ?? s.title)) : call ? `${call.service}.${call.method}` : s.title;
    if (options.onSelectStep) {
      const button = el('button', 'tl-title');
      button.type = 'button';
      button.append(symbol, el('span', undefined, titleText));
      const onSelect = options.onSelectStep;
      button.addEventListener('click', () => {
        selected?.classList.remove('tl-row--selected');
        selected?.removeAttribute('aria-current');
        selected = li;
        li.classList.add('tl-row--selected');
        li.setAttribute('aria-current', 'step');
        onSelect(s);
      });
      mark.append(button);
    } else {
      const title = el('span', 'tl-title');
      title.append(symbol, el('span', undefined, titleText));
      mark.append(title);
    }
    const meta = stepMeta(s);
    if (meta) mark.append(el('span', 'tl-meta', meta));
    if (s.detail && s.kind !== 'fail') mark.append(el('span', 'tl-detail', s.detail));
    const calls = s.calls;
    if (calls.length > 0) {
      const callList = el('ul', 'tl-calls');
      callList.setAttribute('aria-label', s.kind === 'request' ? 'backing-service calls' : s.kind === 'call' ? 'the call' : 'calls during start-up');
      for (const call of calls) callList.append(callItem(call, el));
      mark.append(callList);
    }
    const errors = s.logs.filter((line) => line.level === 'error');
    if (errors.length > 0) {
      const logList = el('ul', 'tl-step-logs');
      logList.setAttribute('aria-label', 'errors logged');
      for (const line of errors.slice(0, 3)) logList.append(el('li', undefined, `console.error: ${line.text}`));
      if (errors.length > 3) logList.append(el('li', undefined, `… ${errors.length - 3} more`));
      mark.append(logList);
    }
    li.append(mark);
    // Unfolded, a step needs room: its details take a row of their own, across every lane.
    const more = stepDetails(s, responses, callsBySeq, el);
    if (more) li.append(more);
    rows.append(li);
  }
  scroller.append(header, rows);
  timeline.append(scroller);
  root.append(timeline);

  // --- console panel ---
  root.append(consolePanel(model, el, heading, id));

  container.replaceChildren(root);
  return model;
}

type ResponseEvent = Extract<TestResult['events'][number], { kind: 'response' }>;
type CallEvent = Extract<TestResult['events'][number], { kind: 'call' }>;

/**
 * What a step holds beyond its one line, folded away until asked for: the request as sent (and its body), the
 * response's status and body, and every value stored or read during it, in full. Undefined when there is nothing more.
 */
export function stepDetails(s: TimelineStep, responses: ReadonlyMap<number, ResponseEvent>, calls: ReadonlyMap<number, CallEvent>, el: El): HTMLElement | undefined {
  const request = s.kind === 'request' && s.event.kind === 'request' ? s.event : undefined;
  if (!request && s.calls.length === 0) return undefined;
  const details = el('details', 'tl-more');
  const list = el('dl', 'tl-more-list');
  const entry = (term: string, value: string, code = false) => {
    const dd = el('dd');
    if (code) dd.append(el('pre', 'tl-value', value));
    else dd.textContent = value;
    list.append(el('dt', undefined, term), dd);
  };
  if (request) {
    const response = responses.get(request.id);
    details.append(el('summary', undefined, 'Request, response and stored values'));
    entry('Request', `${request.method} ${request.path}${request.process !== 'balancer' ? ` (to ${request.process}, generation ${request.generation})` : ''}`);
    entry('Request body', request.body ?? '(empty)', request.body !== undefined);
    entry('Response', response ? `${response.status}${response.error ? ` (${response.error})` : ''}` : 'no answer: the test ended first');
    if (response) entry('Response body', response.body ?? '(empty)', response.body !== undefined);
  } else {
    details.append(el('summary', undefined, s.calls.length === 1 ? 'The values in full' : 'The calls in full'));
  }
  for (const call of s.calls) {
    const full = calls.get(call.seq)?.full;
    const args = full?.args ?? call.args;
    const outcome = call.error !== undefined ? `✗ ${call.error}` : `→ ${full?.result ?? call.result ?? 'undefined'}`;
    entry(`${call.service}.${call.method}`, `(${args.startsWith('[') && args.endsWith(']') ? args.slice(1, -1) : args})\n${outcome}`, true);
  }
  if (request && s.calls.length === 0) entry('Stored values', 'none: this request called no backing service');
  details.append(list);
  return details;
}

/** One call, laid out as `kv.get → null` over its (clipped) arguments; the full text stays readable and in the tooltip. */
function callItem(call: TimelineCall, el: El): HTMLElement {
  const li = el('li', call.error !== undefined ? 'tl-call tl-call--error' : 'tl-call');
  li.title = call.text;
  const args = call.args.startsWith('[') ? call.args.slice(1, call.args.endsWith(']') ? -1 : undefined) : call.args;
  li.append(
    el('span', 'tl-call-name', `${call.service}.${call.method}`),
    el('span', 'tl-call-args', `(${args})`),
    el('span', 'tl-call-result', call.error !== undefined ? ` ✗ ${call.error}` : ` → ${call.result ?? 'undefined'}`),
  );
  return li;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function alive(l: TimelineLane, seq: number): boolean {
  return l.firstSeq <= seq && (!l.end || seq <= l.end.seq);
}

function laneState(l: TimelineLane): string {
  if (l.kind === 'balancer') return 'notes, clock, releases, chaos';
  if (!l.end) return l.startSeq === undefined ? '… starting' : '● running at the end';
  if (l.end.kind === 'crash') return `⚡ ${endTitle('crash', l.end.reason, l.startSeq === undefined)}`;
  if (l.end.kind === 'kill') return `✕ ${endTitle('kill', l.end.reason)}`;
  return `⟳ ${endTitle('stop', l.end.reason)}`;
}

function statusClass(s: TimelineStep): string {
  const status = s.request?.status;
  if (s.kind !== 'request') return '';
  if (status === undefined) return ' tl-status--none';
  if (status >= 500) return ' tl-status--5xx';
  if (status >= 400) return ' tl-status--4xx';
  return ' tl-status--ok';
}

function stepMeta(s: TimelineStep): string {
  if (s.kind !== 'request' || !s.request) return '';
  const r = s.request;
  const parts: string[] = [];
  if (r.durationMs !== undefined) parts.push(`${r.durationMs} ms`);
  parts.push(`request ${r.id}`);
  if (r.policy && r.policy !== 'random') parts.push(r.policy);
  if (r.answered && r.status !== undefined) parts.push(statusWord(r.status));
  return parts.join(' · ');
}

function statusWord(status: number): string {
  if (status >= 500) return 'server error';
  if (status >= 400) return 'refused';
  if (status >= 300) return 'redirect';
  return 'ok';
}

type El = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string) => HTMLElementTagNameMap[K];

function legend(el: El): HTMLElement {
  const list = el('ul', 'tl-legend');
  list.setAttribute('aria-label', 'Legend');
  const items: [TimelineStepKind, string][] = [
    ['request', 'request'], ['start', 'start'], ['stop', 'graceful restart'], ['kill', 'kill'],
    ['crash', 'crash'], ['clock', 'clock'], ['note', 'note'], ['fail', 'failure'],
  ];
  for (const [kind, word] of items) {
    const li = el('li', `tl-legend-item tl-mark--${kind}`);
    const symbol = el('span', 'tl-symbol', SYMBOL[kind]);
    symbol.setAttribute('aria-hidden', 'true');
    li.append(symbol, ` ${word}`);
    list.append(li);
  }
  return list;
}

function consolePanel(
  model: TimelineModel,
  el: El,
  heading: (text: string, id: string, offset?: number) => HTMLElement,
  id: string,
): HTMLElement {
  const section = el('section', 'tl-section tl-console');
  section.setAttribute('aria-labelledby', `${id}-console`);
  section.append(heading('Console output', `${id}-console`));
  const total = model.console.reduce((n, group) => n + group.lines.length, 0);
  if (total === 0) {
    section.append(el('p', 'tl-empty', 'No console output'));
    return section;
  }

  const controls = el('div', 'tl-console-controls');
  const processLabel = el('label', 'tl-label', 'Show console output from');
  processLabel.htmlFor = `${id}-console-process`;
  const processSelect = el('select', 'tl-select');
  processSelect.id = `${id}-console-process`;
  const option = (text: string, value: string) => {
    const node = el('option', undefined, text);
    node.value = value;
    return node;
  };
  processSelect.append(option('All processes', ''));
  for (const group of model.console) processSelect.append(option(`${group.process} (${group.lines.length})`, group.process));
  const levelLabel = el('label', 'tl-label', 'Lines');
  levelLabel.htmlFor = `${id}-console-level`;
  const levelSelect = el('select', 'tl-select');
  levelSelect.id = `${id}-console-level`;
  levelSelect.append(option('All lines', 'all'), option('Errors only', 'errors'));
  const processField = el('div', 'tl-field');
  processField.append(processLabel, processSelect);
  const levelField = el('div', 'tl-field');
  levelField.append(levelLabel, levelSelect);
  controls.append(processField, levelField);

  const status = el('p', 'tl-console-status');
  status.setAttribute('aria-live', 'polite');
  const output = el('div', 'tl-console-output');
  output.tabIndex = 0;
  output.setAttribute('role', 'region');
  output.setAttribute('aria-label', 'Console lines');

  const update = () => {
    const chosen = processSelect.value;
    const errorsOnly = levelSelect.value === 'errors';
    const groups = model.console
      .filter((group) => !chosen || group.process === chosen)
      .map((group) => ({ process: group.process, lines: group.lines.filter((line) => !errorsOnly || line.level === 'error') }))
      .filter((group) => group.lines.length > 0);
    const count = groups.reduce((n, group) => n + group.lines.length, 0);
    output.replaceChildren();
    if (count === 0) {
      const where = chosen ? ` from ${chosen}` : '';
      output.append(el('p', 'tl-empty', `No console output${where}${errorsOnly ? ' (errors only)' : ''}`));
      status.textContent = 'No lines match.';
      return;
    }
    let budget = MAX_CONSOLE_LINES;
    let dropped = 0;
    for (const group of groups) {
      const box = el('div', 'tl-console-group');
      box.append(el('p', 'tl-console-process', group.process));
      const lines = el('ol', 'tl-console-lines');
      lines.setAttribute('aria-label', `console output from ${group.process}`);
      const shown = group.lines.slice(Math.max(0, group.lines.length - budget));
      dropped += group.lines.length - shown.length;
      budget -= shown.length;
      for (const line of shown) {
        const li = el('li', `tl-log tl-log--${line.level === 'error' ? 'error' : line.level === 'warn' ? 'warn' : 'info'}`);
        li.append(
          el('span', 'tl-log-gen', `#${line.generation}`),
          el('span', 'tl-log-level', line.level === 'error' ? '✗ error' : line.level),
          el('span', 'tl-log-text', line.text),
        );
        lines.append(li);
      }
      if (shown.length > 0) {
        box.append(lines);
        output.append(box);
      }
    }
    if (dropped > 0) output.prepend(el('p', 'tl-hidden-note', `… ${dropped} earlier lines not shown.`));
    status.textContent = `${count} ${count === 1 ? 'line' : 'lines'} shown.`;
  };
  processSelect.addEventListener('change', update);
  levelSelect.addEventListener('change', update);
  update();
  section.append(controls, status, output);
  return section;
}
