// Unit tests of the timeline model and story (pure functions), on traces recorded from real kata runs.
import { describe, expect, it } from 'vitest';
import type { StampedEvent, TraceEvent } from '../../../src/engine/core/trace.ts';
import {
  BALANCER_LANE,
  DEFAULT_MAX_STEPS,
  buildTimeline,
  formatDuration,
  story,
  type TimelineModel,
  type TimelineStep,
} from '../../../src/workbench/timeline.ts';

// Fixtures: events recorded with `npm run -s kata -- test <kata> --dir … --seed 1 --json` (and, for the fault
// cases, the engine test helper `runApp` on the Node host), with the wall-clock timings (startMs, ms) left out.
const T0 = 1767225600000;
/** Give recorded events back their sequence numbers (1, 2, …) and virtual time (T0 unless recorded otherwise). */
function stamp(events: readonly (TraceEvent & { at?: number })[]): StampedEvent[] {
  return events.map((event, i) => ({ at: T0, ...event, seq: i + 1 }) as StampedEvent);
}

/** `sessions` starter, "a login is honoured by every process" (seed 1): fails */
const SESSIONS_STARTER = stamp([
  {kind:'release',release:1,built:false},
  {kind:'start',process:'web.1',generation:1},
  {kind:'start',process:'web.2',generation:1},
  {kind:'start',process:'web.3',generation:1},
  {kind:'request',id:1,method:'POST',path:'/login',process:'web.3',generation:1,policy:'random'},
  {kind:'response',id:1,status:200,process:'web.3',generation:1},
  {kind:'request',id:2,method:'GET',path:'/me',process:'web.1',generation:1,policy:'random'},
  {kind:'response',id:2,status:401,process:'web.1',generation:1},
  {kind:'fail',message:'the session created on web.3 was gone when web.1 answered GET /me (request 1 after logging in) (expected 200, got 401)'},
]);

/** `visit-counter` starter, "the count survives restarts and deploys" (seed 1): fails after a restart */
const VISIT_RESTART = stamp([
  {kind:'release',release:1,built:false},
  {kind:'start',process:'web.1',generation:1},
  {kind:'request',id:1,method:'GET',path:'/',process:'web.1',generation:1,policy:'random'},
  {kind:'response',id:1,status:200,process:'web.1',generation:1},
  {kind:'request',id:2,method:'GET',path:'/',process:'web.1',generation:1,policy:'random'},
  {kind:'response',id:2,status:200,process:'web.1',generation:1},
  {kind:'request',id:3,method:'GET',path:'/',process:'web.1',generation:1,policy:'random'},
  {kind:'response',id:3,status:200,process:'web.1',generation:1},
  {kind:'stop',process:'web.1',generation:1,reason:'restarted',cause:'restart'},
  {kind:'start',process:'web.1',generation:2},
  {kind:'note',text:'every process restarted'},
  {kind:'request',id:4,method:'GET',path:'/',process:'web.1',generation:2,policy:'random'},
  {kind:'response',id:4,status:200,process:'web.1',generation:2},
  {kind:'fail',message:'3 visits were counted, then every process restarted; web.1 (generation 2) answered the next visit (expected 4, got 1)'},
]);

/** `sessions` solution, "a session expires after 30 minutes without a request" (seed 1): passes, with kv calls and a clock advance */
const SESSIONS_EXPIRY = stamp([
  {kind:'release',release:1,built:false},
  {kind:'start',process:'web.1',generation:1},
  {kind:'start',process:'web.2',generation:1},
  {kind:'start',process:'web.3',generation:1},
  {kind:'request',id:1,method:'POST',path:'/login',process:'web.1',generation:1,policy:'random'},
  {kind:'call',process:'web.1',generation:1,requestId:1,service:'kv',method:'set',args:'["session:0c726bd0-af01-447f-ae87-1884e4b9385b","{\\"user\\":\\"ada\\",\\"checkout\\"…',result:'"OK"'},
  {kind:'response',id:1,status:200,process:'web.1',generation:1},
  {kind:'request',id:2,method:'GET',path:'/me',process:'web.3',generation:1,policy:'random'},
  {kind:'call',process:'web.3',generation:1,requestId:2,service:'kv',method:'get',args:'["session:0c726bd0-af01-447f-ae87-1884e4b9385b"]',result:'"{\\"user\\":\\"ada\\",\\"checkout\\":{}}"'},
  {kind:'call',process:'web.3',generation:1,requestId:2,service:'kv',method:'expire',args:'["session:0c726bd0-af01-447f-ae87-1884e4b9385b",1800]',result:'1'},
  {kind:'response',id:2,status:200,process:'web.3',generation:1},
  {kind:'clock',advancedBy:1860000,at:1767227460000},
  {kind:'note',text:'31 minutes pass without a request',at:1767227460000},
  {kind:'request',id:3,method:'GET',path:'/me',process:'web.1',generation:1,policy:'round-robin',at:1767227460000},
  {kind:'call',process:'web.1',generation:1,requestId:3,service:'kv',method:'get',args:'["session:0c726bd0-af01-447f-ae87-1884e4b9385b"]',result:'null',at:1767227460000},
  {kind:'response',id:3,status:401,process:'web.1',generation:1,at:1767227460000},
  {kind:'request',id:4,method:'GET',path:'/me',process:'web.2',generation:1,policy:'round-robin',at:1767227460000},
  {kind:'call',process:'web.2',generation:1,requestId:4,service:'kv',method:'get',args:'["session:0c726bd0-af01-447f-ae87-1884e4b9385b"]',result:'null',at:1767227460000},
  {kind:'response',id:4,status:401,process:'web.2',generation:1,at:1767227460000},
  {kind:'request',id:5,method:'GET',path:'/me',process:'web.3',generation:1,policy:'round-robin',at:1767227460000},
  {kind:'call',process:'web.3',generation:1,requestId:5,service:'kv',method:'get',args:'["session:0c726bd0-af01-447f-ae87-1884e4b9385b"]',result:'null',at:1767227460000},
  {kind:'response',id:5,status:401,process:'web.3',generation:1,at:1767227460000},
]);

/** an app that logs, calls kv at start-up, crashes, throws, is killed, restarted by chaos and redeployed */
const FAULTS = stamp([
  {kind:'release',release:1,built:false},
  {kind:'log',process:'web.1',generation:1,level:'log',text:'booting'},
  {kind:'call',process:'web.1',generation:1,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"'},
  {kind:'start',process:'web.1',generation:1},
  {kind:'log',process:'web.2',generation:1,level:'log',text:'booting'},
  {kind:'call',process:'web.2',generation:1,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"'},
  {kind:'start',process:'web.2',generation:1},
  {kind:'request',id:1,method:'GET',path:'/a',process:'web.1',generation:1,policy:'random'},
  {kind:'log',process:'web.1',generation:1,level:'log',text:'hit 1 /a'},
  {kind:'call',process:'web.1',generation:1,requestId:1,service:'kv',method:'incr',args:'["hits"]',result:'1'},
  {kind:'response',id:1,status:200,process:'web.1',generation:1},
  {kind:'stop',process:'web.1',generation:1,reason:'restarted',cause:'restart'},
  {kind:'log',process:'web.1',generation:2,level:'log',text:'booting'},
  {kind:'call',process:'web.1',generation:2,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"'},
  {kind:'start',process:'web.1',generation:2},
  {kind:'request',id:2,method:'GET',path:'/boom',process:'web.1',generation:2,policy:'random'},
  {kind:'log',process:'web.1',generation:2,level:'log',text:'hit 1 /boom'},
  {kind:'call',process:'web.1',generation:2,requestId:2,service:'kv',method:'incr',args:'["hits"]',result:'2'},
  {kind:'response',id:2,status:200,process:'web.1',generation:2},
  {kind:'crash',process:'web.1',generation:2,reason:'crashed: uncaught exception: Error: kaboom (app.ts:9:62)',cause:'uncaught'},
  {kind:'log',process:'web.1',generation:3,level:'log',text:'booting'},
  {kind:'call',process:'web.1',generation:3,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"'},
  {kind:'start',process:'web.1',generation:3},
  {kind:'request',id:3,method:'GET',path:'/err',process:'web.2',generation:1,policy:'random'},
  {kind:'log',process:'web.2',generation:1,level:'log',text:'hit 1 /err'},
  {kind:'log',process:'web.2',generation:1,level:'error',text:'bad thing'},
  {kind:'log',process:'web.2',generation:1,level:'error',text:'uncaught in fetch(): Error: handler failed (app.ts:10:70)'},
  {kind:'response',id:3,status:500,process:'web.2',generation:1,error:'Error: handler failed (app.ts:10:70)'},
  {kind:'kill',process:'web.2',generation:1,reason:'killed (no shutdown hook ran)',cause:'kill'},
  {kind:'log',process:'web.2',generation:2,level:'log',text:'booting'},
  {kind:'call',process:'web.2',generation:2,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"'},
  {kind:'start',process:'web.2',generation:2},
  {kind:'clock',advancedBy:1860000,at:1767227460000},
  {kind:'note',text:'31 minutes pass',at:1767227460000},
  {kind:'chaos',action:'restart',process:'web.2',at:1767227460000},
  {kind:'stop',process:'web.2',generation:2,reason:'restarted by chaos',cause:'chaos-restart',at:1767227460000},
  {kind:'log',process:'web.2',generation:3,level:'log',text:'booting',at:1767227460000},
  {kind:'call',process:'web.2',generation:3,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"',at:1767227460000},
  {kind:'start',process:'web.2',generation:3,at:1767227460000},
  {kind:'request',id:4,method:'GET',path:'/b',process:'web.1',generation:3,policy:'random',at:1767227460000},
  {kind:'log',process:'web.1',generation:3,level:'log',text:'hit 1 /b',at:1767227460000},
  {kind:'call',process:'web.1',generation:3,requestId:4,service:'kv',method:'incr',args:'["hits"]',result:'3',at:1767227460000},
  {kind:'response',id:4,status:200,process:'web.1',generation:3,at:1767227460000},
  {kind:'release',release:2,built:false,at:1767227460000},
  {kind:'stop',process:'web.1',generation:3,reason:'restarted',cause:'restart',at:1767227460000},
  {kind:'log',process:'web.1',generation:4,level:'log',text:'booting',at:1767227460000},
  {kind:'call',process:'web.1',generation:4,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"',at:1767227460000},
  {kind:'start',process:'web.1',generation:4,at:1767227460000},
  {kind:'stop',process:'web.2',generation:3,reason:'restarted',cause:'restart',at:1767227460000},
  {kind:'log',process:'web.2',generation:4,level:'log',text:'booting',at:1767227460000},
  {kind:'call',process:'web.2',generation:4,service:'kv',method:'set',args:'["boot","1"]',result:'"OK"',at:1767227460000},
  {kind:'start',process:'web.2',generation:4,at:1767227460000},
  {kind:'request',id:5,method:'GET',path:'/c',process:'web.1',generation:4,policy:'random',at:1767227460000},
  {kind:'log',process:'web.1',generation:4,level:'log',text:'hit 1 /c',at:1767227460000},
  {kind:'call',process:'web.1',generation:4,requestId:5,service:'kv',method:'incr',args:'["hits"]',result:'4',at:1767227460000},
  {kind:'response',id:5,status:200,process:'web.1',generation:4,at:1767227460000},
  {kind:'fail',message:'n should be 5 (expected 5, got 1). Meanwhile web.1 crashed: uncaught exception: Error: kaboom (app.ts:9:62).',at:1767227460000},
]);

/** chaos kills web.1 mid-request; three requests in flight at once; scale to zero (503) and back up */
const CONCURRENT = stamp([
  {kind:'release',release:1,built:false},
  {kind:'start',process:'web.1',generation:1},
  {kind:'start',process:'web.2',generation:1},
  {kind:'request',id:1,method:'GET',path:'/a',process:'web.1',generation:1,policy:'random'},
  {kind:'chaos',action:'kill mid-request',process:'web.1'},
  {kind:'kill',process:'web.1',generation:1,reason:'killed by chaos while handling a request',cause:'chaos-mid-request'},
  {kind:'response',id:1,status:502,process:'web.1',generation:1,error:'web.1 killed by chaos while handling a request before it answered'},
  {kind:'start',process:'web.1',generation:2},
  {kind:'request',id:2,method:'GET',path:'/p1',process:'web.2',generation:1,policy:'random'},
  {kind:'request',id:3,method:'GET',path:'/p2',process:'web.1',generation:2,policy:'random'},
  {kind:'request',id:4,method:'GET',path:'/p3',process:'web.2',generation:1,policy:'random'},
  {kind:'call',process:'web.2',generation:1,service:'kv',method:'incr',args:'["hits"]',result:'1'},
  {kind:'call',process:'web.2',generation:1,service:'kv',method:'incr',args:'["hits"]',result:'2'},
  {kind:'call',process:'web.1',generation:2,requestId:3,service:'kv',method:'incr',args:'["hits"]',result:'3'},
  {kind:'call',process:'web.2',generation:1,service:'kv',method:'get',args:'["x"]',result:'null'},
  {kind:'call',process:'web.2',generation:1,service:'kv',method:'get',args:'["x"]',result:'null'},
  {kind:'call',process:'web.1',generation:2,requestId:3,service:'kv',method:'get',args:'["x"]',result:'null'},
  {kind:'response',id:2,status:200,process:'web.2',generation:1},
  {kind:'response',id:4,status:200,process:'web.2',generation:1},
  {kind:'response',id:3,status:200,process:'web.1',generation:2},
  {kind:'stop',process:'web.1',generation:2,reason:'scaled down',cause:'scale-down'},
  {kind:'stop',process:'web.2',generation:1,reason:'scaled down',cause:'scale-down'},
  {kind:'request',id:5,method:'GET',path:'/none',process:'balancer',generation:0,policy:'random'},
  {kind:'response',id:5,status:503,process:'balancer',generation:0,error:'no web process is running'},
  {kind:'start',process:'web.1',generation:1},
]);

/** an app that throws at start-up (status "error") */
const BOOT_CRASH = stamp([
  {kind:'release',release:1,built:false},
  {kind:'log',process:'web.1',generation:1,level:'log',text:'about to fail'},
  {kind:'crash',process:'web.1',generation:1,reason:'Error: DATABASE_URL is not set (app.ts:1:110)',cause:'boot-error'},
  {kind:'fail',message:'web.1 crashed at start-up: Error: DATABASE_URL is not set (app.ts:1:110)'},
]);

const lane = (model: TimelineModel, id: string) => model.lanes.find((l) => l.id === id);
const requestStep = (model: TimelineModel, id: number): TimelineStep | undefined =>
  model.steps.find((s) => s.kind === 'request' && s.request?.id === id);

describe('buildTimeline: lanes', () => {
  it('has one lane per process generation after a restart, ordered by process then generation, balancer lane first', () => {
    const model = buildTimeline(VISIT_RESTART);
    expect(model.lanes.map((l) => l.label)).toEqual(['balancer / test', 'web.1 #1', 'web.1 #2']);
    expect(model.lanes[0]!.id).toBe(BALANCER_LANE);
    expect(lane(model, 'web.1#1')!.end).toEqual({ kind: 'stop', reason: 'restarted', seq: 9 });
    expect(lane(model, 'web.1#2')!.end).toBeUndefined();
    // the request after the restart is drawn in the new generation's lane, the earlier ones in the old lane
    expect(requestStep(model, 4)!.lane).toBe('web.1#2');
    expect([1, 2, 3].map((id) => requestStep(model, id)!.lane)).toEqual(['web.1#1', 'web.1#1', 'web.1#1']);
    expect(lane(model, 'web.1#1')!.requests).toBe(3);
    const restart = model.steps.find((s) => s.kind === 'stop')!;
    expect(restart).toMatchObject({ lane: 'web.1#1', title: 'graceful restart', detail: 'its memory, timers and local disk were wiped' });
    expect(model.steps.find((s) => s.kind === 'start' && s.generation === 2)!.title).toBe('started again (generation 2)');
  });

  it('orders many processes and generations naturally and ends each lane the way it ended', () => {
    const model = buildTimeline(FAULTS);
    expect(model.lanes.map((l) => l.id)).toEqual([
      'balancer', 'web.1#1', 'web.1#2', 'web.1#3', 'web.1#4', 'web.2#1', 'web.2#2', 'web.2#3', 'web.2#4',
    ]);
    expect(model.lanes.map((l) => l.end?.kind ?? 'running')).toEqual([
      'running', 'stop', 'crash', 'stop', 'running', 'kill', 'stop', 'stop', 'running',
    ]);
    expect(lane(model, 'web.2#1')!.end!.reason).toBe('killed (no shutdown hook ran)');
    expect(lane(model, 'web.2#2')!.end!.reason).toBe('restarted by chaos');
  });

  it('ends a crashed lane with the crash reason, and says so on the crash step', () => {
    const model = buildTimeline(FAULTS);
    const crashed = lane(model, 'web.1#2')!;
    expect(crashed.end).toEqual({ kind: 'crash', reason: 'crashed: uncaught exception: Error: kaboom (app.ts:9:62)', seq: 20 });
    const crash = model.steps.find((s) => s.kind === 'crash')!;
    expect(crash).toMatchObject({ lane: 'web.1#2', title: 'crashed: uncaught exception: Error: kaboom (app.ts:9:62)' });
    // the platform starts the next generation
    expect(model.steps[crash.index + 1]).toMatchObject({ kind: 'start', lane: 'web.1#3' });
  });

  it('a crash at start-up ends the lane "while starting" and is the failing step when no request was made', () => {
    const model = buildTimeline(BOOT_CRASH);
    expect(lane(model, 'web.1#1')!.end!.kind).toBe('crash');
    const crash = model.steps.find((s) => s.kind === 'crash')!;
    expect(crash.title).toBe('crashed while starting: Error: DATABASE_URL is not set (app.ts:1:110)');
    expect(crash.failing).toBe(true);
    expect(model.failure!.causeIndex).toBe(crash.index);
  });

  it('puts balancer answers in the balancer lane and gives a generation that runs again its own lane', () => {
    const model = buildTimeline(CONCURRENT);
    const none = requestStep(model, 5)!;
    expect(none).toMatchObject({ lane: BALANCER_LANE, title: 'GET /none → 503' });
    expect(none.request!.error).toBe('no web process is running');
    // scaled to zero, then up again: the engine starts web.1 at generation 1 again
    expect(model.lanes.map((l) => l.label)).toEqual(['balancer / test', 'web.1 #1', 'web.1 #2', 'web.1 #1 (run 2)', 'web.2 #1']);
    expect(model.steps.at(-1)).toMatchObject({ kind: 'start', lane: 'web.1#1~2' });
    // killed mid-request: the request is answered 502 by the engine, in the killed generation's lane
    expect(requestStep(model, 1)).toMatchObject({ lane: 'web.1#1', title: 'GET /a → 502' });
    expect(lane(model, 'web.1#1')!.end!.kind).toBe('kill');
  });
});

describe('buildTimeline: steps', () => {
  it('nests service calls under the request that made them', () => {
    const model = buildTimeline(SESSIONS_EXPIRY);
    expect(model.steps.some((s) => s.kind === 'call')).toBe(false);
    const me = requestStep(model, 2)!;
    expect(me).toMatchObject({ lane: 'web.3#1', title: 'GET /me → 200' });
    expect(me.calls.map((c) => `${c.service}.${c.method}`)).toEqual(['kv.get', 'kv.expire']);
    expect(me.calls[1]!.text).toBe('kv.expire("session:0c726bd0-af01-447f-ae87-1884e4b9385b",1800) → 1');
    expect(requestStep(model, 3)!.calls.map((c) => c.text)).toEqual([
      'kv.get("session:0c726bd0-af01-447f-ae87-1884e4b9385b") → null',
    ]);
    expect(requestStep(model, 3)!.request).toMatchObject({ method: 'GET', path: '/me', status: 401, process: 'web.1', policy: 'round-robin' });
  });

  it('nests start-up calls under the start, and draws calls of an unknown request on their own', () => {
    const faults = buildTimeline(FAULTS);
    const starts = faults.steps.filter((s) => s.kind === 'start');
    expect(starts).toHaveLength(8);
    for (const start of starts) expect(start.calls.map((c) => c.text)).toEqual(['kv.set("boot","1") → "OK"']);
    expect(faults.steps.some((s) => s.kind === 'call')).toBe(false);

    // three requests in flight at once: the engine cannot tell which request web.2's calls belong to
    const concurrent = buildTimeline(CONCURRENT);
    const loose = concurrent.steps.filter((s) => s.kind === 'call');
    expect(loose.map((s) => `${s.lane} ${s.title}`)).toEqual([
      'web.2#1 kv.incr("hits") → 1',
      'web.2#1 kv.incr("hits") → 2',
      'web.2#1 kv.get("x") → null',
      'web.2#1 kv.get("x") → null',
    ]);
    expect(requestStep(concurrent, 3)!.calls.map((c) => c.method)).toEqual(['incr', 'get']);
  });

  it('identifies the failing step: the last request before the failure, plus the failure message', () => {
    const model = buildTimeline(SESSIONS_STARTER);
    expect(model.steps.map((s) => s.kind)).toEqual(['release', 'start', 'start', 'start', 'request', 'request', 'fail']);
    const failing = model.steps.filter((s) => s.failing);
    expect(failing.map((s) => s.kind)).toEqual(['request', 'fail']);
    expect(failing[0]).toMatchObject({ lane: 'web.1#1', title: 'GET /me → 401' });
    expect(model.failure).toEqual({
      message: 'the session created on web.3 was gone when web.1 answered GET /me (request 1 after logging in) (expected 200, got 401)',
      stepIndex: 6,
      causeIndex: 5,
    });
    expect(failing[1]!.lane).toBe(BALANCER_LANE);
    expect(buildTimeline(SESSIONS_EXPIRY).failure).toBeUndefined();
    expect(buildTimeline(SESSIONS_EXPIRY).steps.some((s) => s.failing)).toBe(false);
  });

  it('words a clock advance as "+31 min" on the balancer lane', () => {
    const model = buildTimeline(SESSIONS_EXPIRY);
    const clock = model.steps.find((s) => s.kind === 'clock')!;
    expect(clock).toMatchObject({ lane: BALANCER_LANE, title: '+31 min', detail: 'the clock moved forward 31 minutes' });
    expect(clock.at - model.startAt).toBe(31 * 60_000);
    expect(model.steps[clock.index + 1]).toMatchObject({ kind: 'note', title: '31 minutes pass without a request' });
  });

  it('formats durations short and long', () => {
    expect(formatDuration(1_200_000)).toBe('20 min');
    expect(formatDuration(90_000)).toBe('1 min 30 s');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
    expect(formatDuration(2 * 86_400_000)).toBe('2 d');
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(60_000, true)).toBe('1 minute');
    expect(formatDuration(86_400_000 + 3_600_000, true)).toBe('1 day 1 hour');
  });

  it('groups console lines by process, in order, and ties them to the request that was running', () => {
    const model = buildTimeline(FAULTS);
    expect(model.console.map((g) => [g.process, g.lines.length])).toEqual([['web.1', 8], ['web.2', 7]]);
    const web1 = model.console[0]!.lines;
    expect(web1.map((l) => `#${l.generation} ${l.text}`)).toEqual([
      '#1 booting', '#1 hit 1 /a', '#2 booting', '#2 hit 1 /boom', '#3 booting', '#3 hit 1 /b', '#4 booting', '#4 hit 1 /c',
    ]);
    expect(web1.map((l) => l.lane)).toEqual(['web.1#1', 'web.1#1', 'web.1#2', 'web.1#2', 'web.1#3', 'web.1#3', 'web.1#4', 'web.1#4']);
    const errors = model.console[1]!.lines.filter((l) => l.level === 'error').map((l) => l.text);
    expect(errors).toEqual(['bad thing', 'uncaught in fetch(): Error: handler failed (app.ts:10:70)']);
    const err = requestStep(model, 3)!;
    expect(err.logs.map((l) => l.text)).toEqual(['hit 1 /err', 'bad thing', 'uncaught in fetch(): Error: handler failed (app.ts:10:70)']);
    expect(err.detail).toBe('Error: handler failed (app.ts:10:70)');
    expect(buildTimeline(SESSIONS_STARTER).console).toEqual([]);
  });

  it('caps the steps at the last 200 and counts the ones left out', () => {
    // a flood: the visit-counter request/response pair, 300 times, then the failure
    const flood: (TraceEvent & { at?: number })[] = [
      { kind: 'release', release: 1, built: false },
      { kind: 'start', process: 'web.1', generation: 1 },
    ];
    for (let id = 1; id <= 300; id += 1) {
      flood.push({ kind: 'request', id, method: 'GET', path: '/', process: 'web.1', generation: 1, policy: 'random' });
      flood.push({ kind: 'response', id, status: 200, process: 'web.1', generation: 1 });
    }
    flood.push({ kind: 'fail', message: 'visit 300 was answered by web.1 (expected 300, got 1)' });
    const events = stamp(flood);
    const model = buildTimeline(events);
    expect(DEFAULT_MAX_STEPS).toBe(200);
    expect(model.totalSteps).toBe(303);
    expect(model.steps).toHaveLength(200);
    expect(model.hiddenSteps).toBe(103);
    expect(model.steps[0]!.index).toBe(103);
    expect(model.steps.at(-1)!.kind).toBe('fail');
    expect(model.steps.at(-2)).toMatchObject({ failing: true, title: 'GET / → 200' });
    expect(model.steps.at(-2)!.request!.id).toBe(300);
    // the lane whose start scrolled out of view is still drawn
    expect(model.lanes.map((l) => l.id)).toEqual(['balancer', 'web.1#1']);
    expect(buildTimeline(events, { maxSteps: 10 }).steps.map((s) => s.index)).toEqual([293, 294, 295, 296, 297, 298, 299, 300, 301, 302]);
    expect(buildTimeline(VISIT_RESTART).hiddenSteps).toBe(0);
    // the story stays short too
    const flooded = story(events);
    expect(flooded).toEqual([
      'web.1 started.',
      'GET / went to web.1 299 times → 200.',
      'GET / went to web.1 → 200; web.1 called no backing service for it.',
      'The test failed: visit 300 was answered by web.1 (expected 300, got 1).',
    ]);
  });

  it('is pure: it leaves the events as they were', () => {
    const before = JSON.stringify(FAULTS);
    buildTimeline(FAULTS);
    story(FAULTS);
    expect(JSON.stringify(FAULTS)).toBe(before);
  });
});

describe('story', () => {
  it('tells the sessions starter failure in plain words', () => {
    expect(story(SESSIONS_STARTER)).toEqual([
      'web.1, web.2 and web.3 started.',
      'POST /login went to web.3 → 200.',
      'GET /me went to web.1 → 401; web.1 called no backing service for it.',
      'The test failed: the session created on web.3 was gone when web.1 answered GET /me (request 1 after logging in) (expected 200, got 401).',
    ]);
  });

  it('says what a restart wiped and names generations once a process has several', () => {
    expect(story(VISIT_RESTART)).toEqual([
      'web.1 started.',
      'GET / went to web.1 3 times → 200.',
      'web.1 restarted: its memory and local disk were wiped (now generation 2).',
      'Every process restarted.',
      'GET / went to web.1 (generation 2) → 200; web.1 called no backing service for it.',
      'The test failed: 3 visits were counted, then every process restarted; web.1 (generation 2) answered the next visit (expected 4, got 1).',
    ]);
  });

  it('tells crashes, kills, chaos, deploys and the clock', () => {
    const told = story(FAULTS);
    expect(told).toContain('web.1 (generation 2) crashed: uncaught exception: Error: kaboom (app.ts:9:62); its memory and local disk were wiped (now generation 3).');
    expect(told).toContain('GET /err went to web.2 (generation 1) → 500 (Error: handler failed (app.ts:10:70)).');
    expect(told).toContain('web.2 was killed (no shutdown hook ran): its memory and local disk were wiped (now generation 2).');
    expect(told).toContain('The clock moved forward 31 minutes.');
    expect(told).toContain('web.2 was restarted by chaos: its memory and local disk were wiped (now generation 3).');
    expect(told).toContain('Release 2 was deployed.');
    expect(told).toContain('web.1 and web.2 restarted: their memory and local disk were wiped (all now generation 4).');
    expect(told.at(-1)).toMatch(/^The test failed: n should be 5/);
    expect(told.filter((s) => /chaos/.test(s))).toHaveLength(1); // the chaos event and the stop it caused: told once
  });

  it('names the backing-service calls, sums up bursts of alike requests, and ends a passing run with "passed"', () => {
    expect(story(SESSIONS_EXPIRY)).toEqual([
      'web.1, web.2 and web.3 started.',
      'POST /login went to web.1 → 200; it called kv.set.',
      'GET /me went to web.3 → 200; it called kv.get and kv.expire.',
      'The clock moved forward 31 minutes.',
      '31 minutes pass without a request.',
      'GET /me was sent 3 times: web.1 answered 1, web.2 answered 1, web.3 answered 1 → 401.',
      'The test passed.',
    ]);
    expect(story([])).toEqual([]);
  });

  it('tells a start-up crash, a mid-request kill and a balancer with no process', () => {
    expect(story(BOOT_CRASH)).toEqual([
      'web.1 crashed while starting: Error: DATABASE_URL is not set (app.ts:1:110).',
      'The test failed: web.1 crashed at start-up: Error: DATABASE_URL is not set (app.ts:1:110).',
    ]);
    const told = story(CONCURRENT);
    expect(told).toContain('GET /a went to web.1 (generation 1) → 502 (web.1 killed by chaos while handling a request before it answered).');
    expect(told).toContain('web.1 was killed by chaos while handling a request: its memory and local disk were wiped (now generation 2).');
    expect(told).toContain('web.1 and web.2 stopped (scaled down): their memory and local disk were wiped.');
    expect(told).toContain('GET /none found no running process: the balancer answered 503 (no web process is running).');
  });
});
