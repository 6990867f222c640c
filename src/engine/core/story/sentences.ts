// The story of a test run: the same trace as the timeline, in plain sentences for a learner to read.
import type { StampedEvent } from '../trace.ts';
import { BALANCER_LANE, assetDetail, buildTimeline, formatDuration, jobDetail, streamDetail, timerKind, type TimelineStep } from './timeline-model.ts';

/** One sentence of a story: `fail` is the failure itself, `end` how the test ended otherwise, `gap` stands for skipped ones. */
export interface StoryLine {
  kind: 'event' | 'fail' | 'pass' | 'gap';
  text: string;
}
/** How many sentences a story has at most: the first few and the last ones. */
const STORY_HEAD = 5;
const STORY_TAIL = 35;

/** The trace in plain words, one short sentence per thing that happened, for a learner to read. */
export function story(events: readonly StampedEvent[]): string[] {
  return storyLines(events).map((line) => line.text);
}

/** The story with each sentence's kind, so modules pick sentences by kind, never by their wording. */
export function storyLines(events: readonly StampedEvent[]): StoryLine[] {
  if (events.length === 0) return [];
  const model = buildTimeline(events, { maxSteps: Number.MAX_SAFE_INTEGER });
  const steps = model.steps;
  const generations = new Map<string, number>();
  for (const l of model.lanes) if (l.kind === 'process') generations.set(l.process, Math.max(generations.get(l.process) ?? 0, l.generation));
  const who = (process: string, generation: number) =>
    (generations.get(process) ?? 1) > 1 ? `${process} (generation ${generation})` : process;

  const sentences: StoryLine[] = [];
  const say = (text: string, kind: StoryLine['kind'] = 'event') => void sentences.push({ kind, text });
  let i = 0;
  while (i < steps.length) {
    const s = steps[i]!;
    switch (s.kind) {
      case 'start': {
        if (s.generation === 1 || s.process === 'build') {
          const names = [s.process!];
          while (steps[i + 1]?.kind === 'start' && steps[i + 1]!.generation === 1) names.push(steps[++i]!.process!);
          say(`${list(names)} started.`);
        } else {
          say(`${s.process} started again as generation ${s.generation}, with empty memory and an empty local disk.`);
        }
        i += 1;
        break;
      }
      case 'stop':
      case 'kill':
      case 'crash': {
        // an end followed by the next generation's start reads as one restart; alike stops in a row, as one sentence
        const restartsAt = (k: number) => {
          const end = steps[k]!;
          const next = steps[k + 1];
          return next?.kind === 'start' && next.process === end.process && next.generation === (end.generation ?? 0) + 1;
        };
        const restarted = restartsAt(i);
        const group: TimelineStep[] = [s];
        let j = i + (restarted ? 2 : 1);
        while (s.kind === 'stop' && steps[j]?.kind === 'stop' && steps[j]!.title === s.title && restartsAt(j) === restarted) {
          group.push(steps[j]!);
          j += restarted ? 2 : 1;
        }
        say(endSentence(group, restarted, who));
        i = j;
        break;
      }
      case 'request': {
        const runEnd = sameRequests(steps, i);
        if (runEnd - i >= 3) {
          say(groupSentence(steps.slice(i, runEnd)));
          i = runEnd;
        } else {
          say(requestSentence(s, who));
          i += 1;
        }
        break;
      }
      case 'call': {
        const call = s.calls[0]!;
        if (call.error !== undefined) say(`${call.process} called ${call.service}.${call.method} and got an error: ${call.error}.`);
        i += 1;
        break;
      }
      case 'note':
        say(sentence(s.title));
        i += 1;
        break;
      case 'clock': {
        const clock = s.event.kind === 'clock' ? s.event : { advancedBy: 0, waitedFor: undefined };
        say(`The clock moved forward ${formatDuration(clock.advancedBy, true)}${clock.waitedFor ? ` while ${clock.waitedFor} waited for a timer` : ''}.`);
        i += 1;
        break;
      }
      case 'timer': {
        // a timer that fired is the app doing its job; one dropped with its process is work that was lost
        if (s.event.kind === 'timer' && s.event.action === 'drop') {
          say(`${s.process}'s ${timerKind(s.event, true)} was dropped when ${s.process} (generation ${s.generation}) ended: what it would have done never happened.`);
        }
        i += 1;
        break;
      }
      case 'job': {
        // a first delivery that was then done is the app working: only what went wrong, or was retried, is told
        if (s.event.kind === 'job' && (s.event.action !== 'done' && (s.event.action !== 'deliver' || s.event.attempt > 1 || s.event.previousHolder))) {
          say(sentence(jobDetail(s.event)));
        }
        i += 1;
        break;
      }
      case 'asset':
        if (s.event.kind === 'asset') say(sentence(assetDetail(s.event)));
        i += 1;
        break;
      case 'stream': {
        // a stream opening and sending is the app working (its request says where it went): only its end is told
        if (s.event.kind === 'stream' && s.event.action === 'close') say(sentence(streamDetail(s.event)));
        i += 1;
        break;
      }
      case 'release': {
        const release = s.event.kind === 'release' ? s.event : { release: 0, built: false };
        if (release.release > 1) say(`Release ${release.release} was deployed${release.built ? ' (the build step ran again)' : ''}.`);
        else if (release.built) say('The build step ran for release 1.');
        i += 1;
        break;
      }
      case 'chaos': {
        // the end that follows says the same thing ("restarted by chaos"): tell it once
        const next = steps.slice(i + 1, i + 8).find((n) => n.process === s.process && n.kind !== 'request' && n.kind !== 'call');
        if (!next || !['stop', 'kill', 'crash'].includes(next.kind)) say(sentence(s.title));
        i += 1;
        break;
      }
      case 'fail':
        say(sentence(`The test failed: ${s.detail ?? ''}`), 'fail');
        i += 1;
        break;
    }
  }
  if (!model.failure) say('The test passed.', 'pass');
  if (sentences.length <= STORY_HEAD + STORY_TAIL + 1) return sentences;
  const skipped = sentences.length - STORY_HEAD - STORY_TAIL;
  return [...sentences.slice(0, STORY_HEAD), { kind: 'gap', text: `… ${skipped} more things happened (see the timeline) …` }, ...sentences.slice(-STORY_TAIL)];
}

/** Where a run of same-method, same-path requests (none of them failing) ends. */
function sameRequests(steps: readonly TimelineStep[], from: number): number {
  const first = steps[from]!;
  let end = from;
  while (end < steps.length) {
    const s = steps[end]!;
    if (s.kind !== 'request' || s.failing || s.request!.method !== first.request!.method || s.request!.path !== first.request!.path) break;
    if (s.calls.some((c) => c.error !== undefined) || s.request!.error !== undefined) break;
    end += 1;
  }
  return Math.max(end, from + 1);
}

function groupSentence(group: readonly TimelineStep[]): string {
  const { method, path } = group[0]!.request!;
  const byProcess = counts(group.map((s) => s.request!.process));
  const statuses = counts(group.map((s) => (s.request!.answered ? String(s.request!.status) : 'no answer')));
  const outcome = statuses.length === 1 ? statuses[0]![0] : statuses.map(([status, n]) => `${status} ×${n}`).join(', ');
  if (byProcess.length === 1) return `${method} ${path} went to ${byProcess[0]![0]} ${group.length} times → ${outcome}.`;
  return `${method} ${path} was sent ${group.length} times: ${byProcess.map(([p, n]) => `${p} answered ${n}`).join(', ')} → ${outcome}.`;
}

function counts(values: readonly string[]): [string, number][] {
  const map = new Map<string, number>();
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return [...map.entries()];
}

function requestSentence(s: TimelineStep, who: (process: string, generation: number) => string): string {
  const r = s.request!;
  if (r.process === BALANCER_LANE) {
    return `${r.method} ${r.path} found no running process: the balancer answered ${r.status ?? 'nothing'}${r.error ? ` (${r.error})` : ''}.`;
  }
  const where = who(r.process, r.generation);
  let text = r.answered
    ? `${r.method} ${r.path} went to ${where} → ${r.status}${r.error ? ` (${r.error})` : ''}`
    : `${r.method} ${r.path} went to ${where} and got no answer`;
  const methods = [...new Set(s.calls.map((c) => `${c.service}.${c.method}`))];
  if (methods.length > 0) text += `; it called ${list(methods)}`;
  else if (s.failing) text += `; ${r.process} called no backing service for it`;
  return `${text}.`;
}

function endSentence(
  group: readonly TimelineStep[],
  restarted: boolean,
  who: (process: string, generation: number) => string,
): string {
  const first = group[0]!;
  const names = group.map((s) => s.process!);
  const many = group.length > 1;
  const wiped = many ? 'their memory and local disk were wiped' : 'its memory and local disk were wiped';
  const next = new Set(group.map((s) => (s.generation ?? 0) + 1));
  const now = !restarted ? '' : many ? (next.size === 1 ? ` (all now generation ${[...next][0]})` : '') : ` (now generation ${[...next][0]})`;
  const reason = first.title;
  if (first.kind === 'stop') {
    const why = stopReason(reason);
    return `${list(names)} ${why}: ${wiped}${now}.`;
  }
  if (first.kind === 'kill') return `${list(names)} was ${reason}: ${wiped}${now}.`;
  const name = who(first.process!, first.generation ?? 0);
  if (first.detail === 'it never finished starting') return `${name} ${reason}.`;
  return `${name} ${reason}; ${wiped}${now}.`;
}

function stopReason(title: string): string {
  if (title === 'graceful restart') return 'restarted';
  if (title.startsWith('graceful restart')) return `was ${title.replace('graceful restart', 'restarted')}`;
  return title.replace(/^stopped \((.*)\)$/, 'stopped ($1)');
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`;
}
