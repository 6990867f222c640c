// Background work of the kata page waits for the learner: WebContainer boots at their first interaction, never for a reader.
import { describe, expect, it } from 'vitest';
import { onFirstInteraction, whenIdle } from '../../../src/workbench/idle.ts';

describe('onFirstInteraction', () => {
  it('runs the work once, at the first key, pointer, focus or touch, and not before', () => {
    const page = new EventTarget();
    let runs = 0;
    onFirstInteraction(() => runs++, page);
    page.dispatchEvent(new Event('scroll'));
    expect(runs, 'scrolling through the brief is reading, not working').toBe(0);
    page.dispatchEvent(new Event('keydown'));
    page.dispatchEvent(new Event('pointerdown'));
    page.dispatchEvent(new Event('focusin'));
    expect(runs).toBe(1);
  });

  it('never runs once cancelled', () => {
    const page = new EventTarget();
    let runs = 0;
    const cancel = onFirstInteraction(() => runs++, page);
    cancel();
    page.dispatchEvent(new Event('touchstart'));
    expect(runs).toBe(0);
  });
});

describe('whenIdle', () => {
  const later = () => new Promise((resolve) => setTimeout(resolve, 10));

  it('runs the work once: at the first interaction, and not again when the browser is idle', async () => {
    const page = new EventTarget();
    let runs = 0;
    whenIdle(() => runs++, { target: page });
    page.dispatchEvent(new Event('keydown'));
    await later();
    expect(runs).toBe(1);
  });

  it('runs the work once when the browser is idle, and not again at an interaction', async () => {
    const page = new EventTarget();
    let runs = 0;
    whenIdle(() => runs++, { target: page });
    await later();
    page.dispatchEvent(new Event('pointerdown'));
    expect(runs).toBe(1);
  });
});
