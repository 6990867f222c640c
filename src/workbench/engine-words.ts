// What the "Where the tests run" disclosure says, in plain words, from the engine chooser's state and the last run.
import type { EngineState, EnginePreference } from '../engine/hosts/webcontainer/choose.ts';

export interface EngineFacts {
  state: EngineState;
  /** why real Node.js cannot be used, when state is 'unavailable' */
  reason?: string;
  preference: EnginePreference;
  /** the last run: which engine ran it, and whether it was repeated here after real Node.js failed */
  lastRun?: { kind: 'offline' | 'webcontainer'; fellBack: boolean; failure?: string };
}

const HERE = 'Your code runs here, in this browser tab: each process of your app is a worker of its own. Nothing is sent to a server.';

export function engineWords(facts: EngineFacts): string {
  const run = facts.lastRun;
  if (run?.fellBack) return `Real Node.js failed during the run (${run.failure ?? 'no reason given'}), so the tests ran again here, in this browser tab.`;
  if (run?.kind === 'webcontainer') return 'Your tests ran in real Node.js processes, started inside this browser (WebContainer). Nothing is sent to a server.';
  if (facts.preference === 'offline') return `${HERE} You chose this.`;
  if (facts.state === 'unavailable') return `${HERE} Real Node.js (WebContainer) cannot run here: ${facts.reason ?? 'no reason given'}.`;
  if (facts.state === 'booting') return `${HERE} Real Node.js (WebContainer) is starting in the background; the tests use it once it is ready.`;
  if (facts.state === 'ready') return 'Real Node.js (WebContainer) is ready: the next run uses it. Nothing is sent to a server.';
  return HERE;
}
