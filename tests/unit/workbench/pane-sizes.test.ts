// The workspace's pane sizes: keys move the bars within limits, and saved sizes are read back safely.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZES, LIMITS, readSizes, sizeAfterKey } from '../../../src/workbench/pane-sizes.ts';

describe('sizeAfterKey', () => {
  it('moves a vertical bar with Left and Right, and leaves Up and Down to the page', () => {
    expect(sizeAfterKey(30, 'ArrowRight', 'vertical', LIMITS.brief)).toBe(32);
    expect(sizeAfterKey(30, 'ArrowLeft', 'vertical', LIMITS.brief)).toBe(28);
    expect(sizeAfterKey(30, 'ArrowUp', 'vertical', LIMITS.brief)).toBeUndefined();
  });

  it('moves a horizontal bar with Up and Down', () => {
    expect(sizeAfterKey(55, 'ArrowDown', 'horizontal', LIMITS.code)).toBe(57);
    expect(sizeAfterKey(55, 'ArrowUp', 'horizontal', LIMITS.code)).toBe(53);
    expect(sizeAfterKey(55, 'ArrowLeft', 'horizontal', LIMITS.code)).toBeUndefined();
  });

  it('takes bigger steps with Page Up and Down, and jumps to the limits with Home and End', () => {
    expect(sizeAfterKey(30, 'PageDown', 'vertical', LIMITS.brief)).toBe(40);
    expect(sizeAfterKey(30, 'Home', 'vertical', LIMITS.brief)).toBe(LIMITS.brief.min);
    expect(sizeAfterKey(30, 'End', 'vertical', LIMITS.brief)).toBe(LIMITS.brief.max);
  });

  it('never goes past a limit', () => {
    expect(sizeAfterKey(LIMITS.brief.max, 'ArrowRight', 'vertical', LIMITS.brief)).toBe(LIMITS.brief.max);
    expect(sizeAfterKey(LIMITS.code.min + 1, 'PageUp', 'horizontal', LIMITS.code)).toBe(LIMITS.code.min);
  });
});

describe('readSizes', () => {
  it('gives the defaults when nothing was saved or the text is damaged', () => {
    expect(readSizes(null)).toEqual(DEFAULT_SIZES);
    expect(readSizes('{not json')).toEqual(DEFAULT_SIZES);
    expect(readSizes('null')).toEqual(DEFAULT_SIZES);
  });

  it('reads saved sizes back, clamped to the limits', () => {
    expect(readSizes(JSON.stringify({ brief: 40, code: 99, briefCollapsed: true }))).toEqual({ brief: 40, code: LIMITS.code.max, briefCollapsed: true });
  });

  it('ignores values of the wrong type', () => {
    expect(readSizes(JSON.stringify({ brief: 'wide', code: null, briefCollapsed: 'yes' }))).toEqual(DEFAULT_SIZES);
  });
});
