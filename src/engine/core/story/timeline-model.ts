// The timeline model of a test run: lanes per process generation and steps, from its trace (pure: no DOM).
import type { StampedEvent } from '../trace.ts';

// ---------------------------------------------------------------------------------------------
// The model (pure: no DOM)
// ---------------------------------------------------------------------------------------------

/** Id of the lane that holds what the balancer and the test did (notes, clock, releases, chaos, the failure). */
export const BALANCER_LANE = 'balancer';
/** How many steps the timeline shows at most (the last ones), so a flood of requests cannot freeze the page. */
export const DEFAULT_MAX_STEPS = 200;
/** How many console lines one view of the console panel shows at most (the last ones). */
export const MAX_CONSOLE_LINES = 500;

export type LaneEnd = { kind: 'stop' | 'kill' | 'crash'; reason: string; seq: number };

export interface TimelineLane {
  /** `web.1#2`, or `balancer` */
  id: string;
  kind: 'process' | 'balancer';
  /** `web.1` (empty for the balancer lane) */
  process: string;
  /** 0 for the balancer lane */
  generation: number;
  /** `web.1 #2`, or `balancer / test` */
  label: string;
  /** sequence number of the lane's first event */
  firstSeq: number;
  /** sequence number of its `start` event, when it finished starting */
  startSeq?: number;
  /** how this generation ended; absent while it was still running when the test ended */
  end?: LaneEnd;
  /** how many requests it served */
  requests: number;
}

/** A backing-service call as the trace records it, plus its one-line text for the timeline. */
export type TimelineCall = Omit<Extract<StampedEvent, { kind: 'call' }>, 'kind'> & {
  /** `kv.expire("session:…",1800) → 1` */
  text: string;
};

export interface ConsoleLine {
  seq: number;
  at: number;
  process: string;
  generation: number;
  /** the lane id of the process generation that wrote it */
  lane: string;
  level: string;
  text: string;
}

export interface ConsoleGroup {
  process: string;
  lines: ConsoleLine[];
}

export interface TimelineRequest {
  id: number;
  method: string;
  path: string;
  policy: string;
  process: string;
  generation: number;
  /** false when no response was recorded (the test ended first) */
  answered: boolean;
  status?: number;
  /** wall-clock time to answer, in ms */
  durationMs?: number;
  /** why the engine (not the app) answered, e.g. a 502 after a kill, or the app's uncaught error */
  error?: string;
}

export type TimelineStepKind =
  | 'request'
  | 'start'
  | 'stop'
  | 'kill'
  | 'crash'
  | 'call'
  | 'note'
  | 'clock'
  | 'release'
  | 'chaos'
  | 'timer'
  | 'job'
  | 'asset'
  | 'stream'
  | 'fail';

export interface TimelineStep {
  /** position among all steps (0-based), even when earlier steps are not shown */
  index: number;
  /** sequence number of the event the step stands for */
  seq: number;
  /** virtual time (ms since the epoch) */
  at: number;
  kind: TimelineStepKind;
  /** id of the lane it is drawn in */
  lane: string;
  /** short text, e.g. `GET /me → 401` or `crashed: …` */
  title: string;
  /** longer explanation, e.g. what a restart wiped */
  detail?: string;
  request?: TimelineRequest;
  /** backing-service calls made for this request (or during this start-up) */
  calls: TimelineCall[];
  /** console lines written while this request was the only one in flight on its process */
  logs: ConsoleLine[];
  /** the step that made the test fail (the last request before the failure), or the failure itself */
  failing: boolean;
  /** for start, stop, kill and crash: the generation it concerns */
  generation?: number;
  /** for lifecycle steps, chaos and process-served requests */
  process?: string;
  /** the trace event the step stands for */
  event: StampedEvent;
}

export interface TimelineFailure {
  message: string;
  /** index of the `fail` step */
  stepIndex: number;
  /** index of the step that failed it (the last request before the failure; or a crash or kill) */
  causeIndex?: number;
}

export interface TimelineModel {
  /** lanes drawn: the balancer lane first, then one per process generation, by process name then generation */
  lanes: TimelineLane[];
  /** the steps shown, in sequence order (the last `maxSteps`) */
  steps: TimelineStep[];
  /** every step, shown or not */
  totalSteps: number;
  /** how many earlier steps are not shown */
  hiddenSteps: number;
  failure?: TimelineFailure;
  /** console output, one group per process (same order as lanes) */
  console: ConsoleGroup[];
  /** virtual time of the first event */
  startAt: number;
}

export interface BuildOptions {
  /** show at most this many steps (the last ones); default 200 */
  maxSteps?: number;
}

type Of<K extends StampedEvent['kind']> = Extract<StampedEvent, { kind: K }>;

const laneId = (process: string, generation: number): string => `${process}#${generation}`;

/** Compare process names naturally: web.2 before web.10. */
const byName = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

/** Build the timeline model of a trace. Pure: it reads the events and returns plain data. */
export function buildTimeline(events: readonly StampedEvent[], options: BuildOptions = {}): TimelineModel {
  const maxSteps = Math.max(1, options.maxSteps ?? DEFAULT_MAX_STEPS);
  const lanes = new Map<string, TimelineLane>();
  lanes.set(BALANCER_LANE, {
    id: BALANCER_LANE, kind: 'balancer', process: '', generation: 0, label: 'balancer / test',
    firstSeq: events[0]?.seq ?? 0, requests: 0,
  });
  // A process scaled down and up again can start over at the same generation: each run of it gets its own lane.
  const startsLeft = new Map<string, number>();
  for (const event of events) {
    if (event.kind === 'start') startsLeft.set(laneId(event.process, event.generation), (startsLeft.get(laneId(event.process, event.generation)) ?? 0) + 1);
  }
  const current = new Map<string, TimelineLane>();
  /** the lane of a process generation; `fresh`: the event may open a new run of an ended generation */
  const lane = (process: string, generation: number, seq: number, fresh = false): TimelineLane => {
    if (process === BALANCER_LANE) return lanes.get(BALANCER_LANE)!;
    const base = laneId(process, generation);
    let found = current.get(base);
    if (found?.end && fresh && (startsLeft.get(base) ?? 0) > 0) found = undefined;
    if (!found) {
      const run = [...lanes.values()].filter((l) => l.process === process && l.generation === generation).length + 1;
      const id = run === 1 ? base : `${base}~${run}`;
      const label = run === 1 ? `${process} #${generation}` : `${process} #${generation} (run ${run})`;
      found = { id, kind: 'process', process, generation, label, firstSeq: seq, requests: 0 };
      lanes.set(id, found);
      current.set(base, found);
    }
    return found;
  };

  const steps: TimelineStep[] = [];
  const requests = new Map<number, TimelineStep>();
  /** requests in flight per lane, to tie console lines to the request that wrote them */
  const inFlight = new Map<string, Set<number>>();
  /** calls made while a generation was starting, attached to its start (or its end, if it never started) */
  const bootCalls = new Map<string, TimelineCall[]>();
  const consoleLines: ConsoleLine[] = [];
  const callEvents = new Map<number, StampedEvent>();
  let failEvent: Of<'fail'> | undefined;

  const step = (event: StampedEvent, kind: TimelineStepKind, laneOf: string, title: string, extra: Partial<TimelineStep> = {}) => {
    const made: TimelineStep = {
      index: 0, seq: event.seq, at: event.at, kind, lane: laneOf, title, calls: [], logs: [], failing: false, event, ...extra,
    };
    steps.push(made);
    return made;
  };
  const takeBootCalls = (id: string): TimelineCall[] => {
    const calls = bootCalls.get(id) ?? [];
    bootCalls.delete(id);
    return calls;
  };

  for (const event of events) {
    switch (event.kind) {
      case 'start': {
        const l = lane(event.process, event.generation, event.seq, true);
        startsLeft.set(laneId(event.process, event.generation), (startsLeft.get(laneId(event.process, event.generation)) ?? 1) - 1);
        l.startSeq = event.seq;
        const again = event.generation > 1 && event.process !== 'build';
        step(event, 'start', l.id, again ? `started again (generation ${event.generation})` : 'started', {
          detail: again ? 'a fresh process: empty memory, empty local disk' : undefined,
          calls: takeBootCalls(l.id), process: event.process, generation: event.generation,
        });
        break;
      }
      case 'stop':
      case 'kill':
      case 'crash': {
        const l = lane(event.process, event.generation, event.seq);
        l.end = { kind: event.kind, reason: event.reason, seq: event.seq };
        inFlight.delete(l.id);
        const booting = l.startSeq === undefined;
        step(event, event.kind, l.id, endTitle(event.kind, event.reason, booting), {
          detail: booting ? 'it never finished starting' : 'its memory, timers and local disk were wiped',
          calls: takeBootCalls(l.id), process: event.process, generation: event.generation,
        });
        break;
      }
      case 'request': {
        const l = lane(event.process, event.generation, event.seq);
        l.requests += 1;
        const request: TimelineRequest = {
          id: event.id, method: event.method, path: event.path, policy: event.policy,
          process: event.process, generation: event.generation, answered: false,
        };
        const made = step(event, 'request', l.id, requestTitle(request), {
          request, process: event.process === BALANCER_LANE ? undefined : event.process, generation: event.generation,
        });
        requests.set(event.id, made);
        const set = inFlight.get(l.id) ?? new Set<number>();
        set.add(event.id);
        inFlight.set(l.id, set);
        break;
      }
      case 'response': {
        const made = requests.get(event.id);
        if (!made?.request) break;
        made.request.answered = true;
        made.request.status = event.status;
        if (event.ms !== undefined) made.request.durationMs = event.ms;
        if (event.error !== undefined) made.request.error = event.error;
        made.title = requestTitle(made.request);
        if (event.error !== undefined) made.detail = event.error;
        inFlight.get(made.lane)?.delete(event.id);
        break;
      }
      case 'call': {
        const call: TimelineCall = {
          seq: event.seq, at: event.at, process: event.process, generation: event.generation, service: event.service,
          method: event.method, args: event.args, text: callText(event),
          ...(event.requestId !== undefined ? { requestId: event.requestId } : {}),
          ...(event.result !== undefined ? { result: event.result } : {}),
          ...(event.error !== undefined ? { error: event.error } : {}),
        };
        const l = lane(event.process, event.generation, event.seq, event.requestId === undefined);
        callEvents.set(event.seq, event);
        const owner = event.requestId !== undefined ? requests.get(event.requestId) : undefined;
        if (owner) owner.calls.push(call);
        else if (l.startSeq === undefined && !l.end && event.process !== 'build') {
          const list = bootCalls.get(l.id) ?? [];
          list.push(call);
          bootCalls.set(l.id, list);
        } else {
          step(event, 'call', l.id, call.text, { calls: [call], process: event.process, generation: event.generation });
        }
        break;
      }
      case 'log': {
        const l = lane(event.process, event.generation, event.seq, true);
        const line: ConsoleLine = {
          seq: event.seq, at: event.at, process: event.process, generation: event.generation,
          lane: l.id, level: event.level, text: event.text,
        };
        consoleLines.push(line);
        const flying = inFlight.get(l.id);
        if (flying && flying.size === 1) requests.get([...flying][0]!)?.logs.push(line);
        break;
      }
      case 'note':
        step(event, 'note', BALANCER_LANE, event.text);
        break;
      case 'clock':
        step(event, 'clock', BALANCER_LANE, `+${formatDuration(event.advancedBy)}`, {
          detail: `the clock moved forward ${formatDuration(event.advancedBy, true)}${event.waitedFor ? ` while ${event.waitedFor} waited for a timer` : ''}`,
        });
        break;
      case 'timer': {
        const l = lane(event.process, event.generation, event.seq);
        step(event, 'timer', l.id, timerTitle(event), { process: event.process, generation: event.generation });
        break;
      }
      case 'job': {
        const l = event.process ? lane(event.process, event.generation ?? 1, event.seq).id : BALANCER_LANE;
        step(event, 'job', l, jobTitle(event), { ...(event.process ? { process: event.process, generation: event.generation } : {}), detail: jobDetail(event) });
        break;
      }
      case 'asset':
        step(event, 'asset', BALANCER_LANE, assetTitle(event), { detail: assetDetail(event) });
        break;
      case 'stream': {
        const l = lane(event.process, event.generation, event.seq);
        step(event, 'stream', l.id, streamTitle(event), { process: event.process, generation: event.generation, detail: streamDetail(event) });
        break;
      }
      case 'release': {
        step(event, 'release', BALANCER_LANE, `release ${event.release}`, {
          detail: event.built ? 'the build step ran for this release' : undefined,
        });
        // the build process of this release is over once its release is out
        const build = lanes.get(laneId('build', event.release));
        if (build && !build.end) build.end = { kind: 'stop', reason: 'build step finished', seq: event.seq };
        break;
      }
      case 'chaos':
        step(event, 'chaos', BALANCER_LANE, `chaos: ${event.action} ${event.process}`, { process: event.process });
        break;
      case 'fail':
        failEvent = event;
        step(event, 'fail', BALANCER_LANE, `test failed: ${event.message}`, { failing: true, detail: event.message });
        break;
    }
  }
  // calls of a generation that neither started nor ended in the trace: drawn on their own
  for (const calls of bootCalls.values()) {
    for (const call of calls) {
      const event = callEvents.get(call.seq)!;
      steps.push({
        index: 0, seq: call.seq, at: call.at, kind: 'call', lane: laneId(call.process, call.generation), title: call.text,
        calls: [call], logs: [], failing: false, process: call.process, generation: call.generation, event,
      });
    }
  }
  steps.sort((a, b) => a.seq - b.seq);
  steps.forEach((s, i) => (s.index = i));

  let failure: TimelineFailure | undefined;
  if (failEvent) {
    const failStep = steps.find((s) => s.kind === 'fail' && s.seq === failEvent!.seq)!;
    const before = steps.slice(0, failStep.index);
    const cause =
      findLast(before, (s) => s.kind === 'request' || s.kind === 'asset') ?? findLast(before, (s) => s.kind === 'crash' || s.kind === 'kill');
    if (cause) cause.failing = true;
    failure = { message: failEvent.message, stepIndex: failStep.index, ...(cause ? { causeIndex: cause.index } : {}) };
  }

  const shown = steps.length > maxSteps ? steps.slice(steps.length - maxSteps) : steps;
  const firstShown = shown[0]?.seq ?? 0;
  const laneList = [...lanes.values()]
    .filter((l) => l.kind === 'balancer' || !l.end || l.end.seq >= firstShown)
    .sort(compareLanes);

  const groups = new Map<string, ConsoleLine[]>();
  for (const line of consoleLines) {
    const list = groups.get(line.process) ?? [];
    list.push(line);
    groups.set(line.process, list);
  }

  return {
    lanes: laneList,
    steps: shown,
    totalSteps: steps.length,
    hiddenSteps: steps.length - shown.length,
    ...(failure ? { failure } : {}),
    console: [...groups.entries()].sort(([a], [b]) => byName(a, b)).map(([process, lines]) => ({ process, lines })),
    startAt: events[0]?.at ?? 0,
  };
}

function compareLanes(a: TimelineLane, b: TimelineLane): number {
  if (a.kind !== b.kind) return a.kind === 'balancer' ? -1 : 1;
  // by generation, which is also the order they ran in (a process scaled to zero and back runs again from generation 1)
  return byName(a.process, b.process) || a.firstSeq - b.firstSeq;
}

function findLast<T>(list: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i -= 1) if (test(list[i]!)) return list[i];
  return undefined;
}

function requestTitle(request: TimelineRequest): string {
  const outcome = request.answered ? String(request.status) : 'no answer';
  return `${request.method} ${request.path} → ${outcome}`;
}

/** "restarted", "killed: …", "crashed at start-up: …": how a process generation ended, as a step title. */
export function endTitle(kind: 'stop' | 'kill' | 'crash', reason: string, booting = false): string {
  if (kind === 'crash' && booting) return `crashed while starting: ${reason.replace(/^crashed: /, '')}`;
  if (kind === 'crash') return reason.startsWith('crashed') ? reason : `crashed: ${reason}`;
  if (kind === 'kill') return reason.startsWith('killed') ? reason : `killed: ${reason}`;
  return reason === 'restarted' ? 'graceful restart' : reason.startsWith('restarted') ? `graceful ${reason.replace('restarted', 'restart')}` : `stopped (${reason})`;
}

/** `stream GET /chat opened`, `sent: data: hi`, `stream closed (killed)`: short, for the timeline's cards. */
export function streamTitle(event: Of<'stream'>): string {
  switch (event.action) {
    case 'open': return `stream GET ${event.path} opened`;
    case 'event': return `sent: ${clip(oneLine(event.text ?? ''), 60)}`;
    case 'close': return `stream GET ${event.path} closed (${event.cause ?? 'app'})`;
  }
}

/** What a stream step means, in a sentence (also the story's). */
export function streamDetail(event: Of<'stream'>): string {
  const { process, path } = event;
  switch (event.action) {
    case 'open':
      return `${process} answered GET ${path} with a stream (server-sent events): the connection stays open, and ${process} serves other requests meanwhile`;
    case 'event':
      return `${process} sent on the stream of GET ${path}: ${clip(oneLine(event.text ?? ''), 200)}`;
    case 'close':
      switch (event.cause) {
        case 'error': return `the stream of GET ${path} on ${process} failed: ${event.error ?? 'its body threw'}`;
        case 'limit': return event.error ?? `the platform closed the stream of GET ${path} on ${process}: it went over the platform's cap`;
        case 'client': return `the client closed its connection to GET ${path} on ${process}`;
        case 'killed': return `the stream of GET ${path} was cut when ${process} was killed: its client has to reconnect`;
        case 'crashed': return `the stream of GET ${path} was cut when ${process} crashed: its client has to reconnect`;
        case 'stopped': return `the platform closed the stream of GET ${path} once ${process}'s shutdown was over: its client has to reconnect`;
        default: return `the app on ${process} ended the stream of GET ${path}`;
      }
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `job thumbs-1 (attempt 2 of 5)`, `job thumbs-1 done`: short, for the timeline's cards. */
export function jobTitle(event: Of<'job'>): string {
  switch (event.action) {
    case 'deliver': return `job ${event.job} (attempt ${event.attempt} of ${event.attempts})`;
    case 'done': return `job ${event.job} done`;
    case 'retry': return `job ${event.job} failed`;
    case 'dead': return `job ${event.job} gave up`;
    case 'lost': return `job ${event.job} lost with its process`;
    case 'stale': return `job ${event.job} finished too late`;
  }
}

/** What a job step means, in a sentence (also the story's). */
export function jobDetail(event: Of<'job'>): string {
  const who = event.process ?? 'the queue';
  const again = event.visibleAt !== undefined ? ` in ${formatDuration(Math.max(0, event.visibleAt - event.at), true)}` : '';
  const error = event.error ? `: ${event.error}` : '';
  switch (event.action) {
    case 'deliver':
      return event.previousHolder
        ? `job ${event.job} was handed to ${who} (attempt ${event.attempt} of ${event.attempts}) while ${event.previousHolder} still held it: its visibility time-out had run out`
        : `job ${event.job} from queue ${event.queue} was handed to ${who} (attempt ${event.attempt} of ${event.attempts})`;
    case 'done': return `job ${event.job} was finished by ${who}, and the queue removed it`;
    case 'retry': return `job ${event.job} failed on ${who}${error}; the queue will hand it out again${again}`;
    case 'dead': return `job ${event.job} went to the dead-letter list after ${event.attempt} of ${event.attempts} attempts${error}`;
    case 'lost': return `job ${event.job} was in ${who}'s hands when ${who} ended; the queue will hand it out again when its visibility time-out runs out${again}`;
    case 'stale': return `job ${event.job} was finished by ${who} after its visibility time-out: the queue had already handed it to another worker, so its work was done twice`;
  }
}

/** `GET /app.3f9a2c1b.js → 200 (release 2's public files)`: short, for the timeline's cards. */
export function assetTitle(event: Of<'asset'>): string {
  return `${event.method} ${event.path} → ${event.status}${event.action === 'refused' ? ' (refused by the platform)' : ` (release ${event.release}'s public files)`}`;
}

/** What the platform did with a request for a public file, in a sentence (also the story's). */
export function assetDetail(event: Of<'asset'>): string {
  const request = `${event.method} ${event.path}`;
  switch (event.action) {
    case 'refused':
      return `the platform refused ${request} with ${event.status}: ${event.error ?? 'a path it does not serve'}; no process saw it`;
    case 'not-modified':
      return `the platform answered ${request} with 304 from release ${event.release}'s public files: the browser's copy (same ETag) is still current; no process saw it`;
    case 'serve': {
      const cache = event.cache === 'immutable'
        ? 'its name is fingerprinted, so browsers may keep it for a year'
        : 'its name has no fingerprint, so browsers check it again (ETag) before every use';
      return `the platform served ${request} from release ${event.release}'s public files (${cache}); no process saw it`;
    }
  }
}

/** `30 s interval fired (app.ts:12)`, `5 s timer dropped (app.ts:7)` */
export function timerTitle(event: Of<'timer'>): string {
  return `${timerKind(event)} ${event.action === 'fire' ? 'fired' : 'dropped'}${event.file ? ` (${event.file}:${event.line})` : ''}`;
}

/** `30 s interval`, `5 s timer`, `setImmediate`, `5 s timer (app.ts:7)` with `where` */
export function timerKind(event: Of<'timer'>, where = false): string {
  const what = event.every !== undefined ? `${formatDuration(event.every)} interval` : event.delay === 0 ? 'setImmediate' : `${formatDuration(event.delay)} timer`;
  return where && event.file ? `${what} (${event.file}:${event.line})` : what;
}

/** `kv.expire("session:…",1800) → 1`, or `kv.get("x") ✗ error` */
export function callText(event: Of<'call'>): string {
  const args = event.args.startsWith('[') ? event.args.slice(1, event.args.endsWith(']') ? -1 : undefined) : event.args;
  const head = `${event.service}.${event.method}(${args})`;
  if (event.error !== undefined) return `${head} ✗ ${event.error}`;
  return `${head} → ${event.result ?? 'undefined'}`;
}

/** A duration in words: `31 min`, `1 h 5 min`, `2 days` (long: `31 minutes`). */
export function formatDuration(ms: number, long = false): string {
  const unit = (n: number, short: string, word: string) => (long ? `${n} ${word}${n === 1 ? '' : 's'}` : `${n} ${short}`);
  if (ms < 1000) return unit(Math.round(ms), 'ms', 'millisecond');
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return unit(seconds, 's', 'second');
  const minutes = Math.floor(seconds / 60);
  const restSeconds = seconds % 60;
  if (minutes < 60) return restSeconds ? `${unit(minutes, 'min', 'minute')} ${unit(restSeconds, 's', 'second')}` : unit(minutes, 'min', 'minute');
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  if (hours < 24) return restMinutes ? `${unit(hours, 'h', 'hour')} ${unit(restMinutes, 'min', 'minute')}` : unit(hours, 'h', 'hour');
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${unit(days, 'd', 'day')} ${unit(restHours, 'h', 'hour')}` : unit(days, 'd', 'day');
}
