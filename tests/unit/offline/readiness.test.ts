// What /engine-check/ tells an instructor about offline use, in each case.
import { describe, expect, it } from 'vitest';
import { readinessText } from '../../../src/offline/readiness.ts';

const status = (cached: number, usage: number | null = 33_554_432) => ({ version: 'v1', total: 414, cached, usage });

describe('the offline readiness sentence', () => {
  it('says ready only when every file of the build is kept, with the space it takes', () => {
    expect(readinessText({ state: 'ready', status: status(414) })).toBe('Ready offline: all 414 files of this version of the site are kept in this browser (32 MB). Lessons, katas, the editor and search work with no network.');
    expect(readinessText({ state: 'ready', status: status(414, null) })).toContain('kept in this browser. Lessons');
  });

  it('says what is missing and what to do when the site is not ready', () => {
    expect(readinessText({ state: 'partial', status: status(400) })).toMatch(/^Not ready offline: 400 of 414 files are kept.*Reload this page/);
    expect(readinessText({ state: 'refused' })).toMatch(/^Not ready offline: .*Reload this page to try again/);
    expect(readinessText({ state: 'unsupported' })).toMatch(/^Not ready offline: .*need the network/);
    expect(readinessText({ state: 'not-built' })).toMatch(/^Not ready offline: .*built site/);
    expect(readinessText({ state: 'saving' })).toMatch(/^Saving the site for offline use/);
  });
});
