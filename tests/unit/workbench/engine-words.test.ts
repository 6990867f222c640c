// The engine disclosure speaks plainly: where the code ran, and why not in real Node.js when it could not.
import { describe, expect, it } from 'vitest';
import { engineWords } from '../../../src/workbench/engine-words.ts';

describe('engineWords', () => {
  it('says the code runs in this tab when nothing else is on offer', () => {
    expect(engineWords({ state: 'offline-only', preference: 'auto' })).toMatch(/^Your code runs here, in this browser tab/);
  });

  it('gives the reason real Node.js cannot run', () => {
    expect(engineWords({ state: 'unavailable', reason: 'the page is not cross-origin isolated', preference: 'auto' }))
      .toMatch(/cannot run here: the page is not cross-origin isolated\.$/);
  });

  it('says a run that fell back was repeated here, and why', () => {
    const text = engineWords({ state: 'unavailable', preference: 'auto', lastRun: { kind: 'offline', fellBack: true, failure: 'it crashed' } });
    expect(text).toBe('Real Node.js failed during the run (it crashed), so the tests ran again here, in this browser tab.');
  });

  it('names real Node.js when it ran the tests', () => {
    expect(engineWords({ state: 'ready', preference: 'auto', lastRun: { kind: 'webcontainer', fellBack: false } })).toMatch(/real Node\.js processes/);
  });

  it('respects the learner choosing this tab', () => {
    expect(engineWords({ state: 'ready', preference: 'offline' })).toMatch(/You chose this\.$/);
  });
});
