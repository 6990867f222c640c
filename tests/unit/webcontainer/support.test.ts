// Which browsers may try WebContainer: cross-origin isolated Chromium, Firefox and Safari 16.4+, never iOS.
import { describe, expect, it } from 'vitest';
import { webContainerSupport } from '../../../src/engine/hosts/webcontainer/choose.ts';

const UA = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87',
  edgeLegacy: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045',
  androidChrome: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0',
  iPhone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  iPhoneChrome: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1',
  macSafari17: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  macSafari164: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.4 Safari/605.1.15',
  macSafari163: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Safari/605.1.15',
  macSafari15: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/15.6.1 Safari/605.1.15',
  ie: 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko',
};

const isolated = (userAgent: string, maxTouchPoints = 0) => webContainerSupport({ crossOriginIsolated: true, userAgent, maxTouchPoints });

describe('webContainerSupport', () => {
  it('supports desktop Chrome when the page is cross-origin isolated', () => {
    expect(isolated(UA.chrome)).toEqual({ supported: true });
  });

  it('refuses desktop Chrome when the page is not cross-origin isolated, and says so', () => {
    expect(webContainerSupport({ crossOriginIsolated: false, userAgent: UA.chrome })).toEqual({
      supported: false, reason: 'the page is not cross-origin isolated',
    });
  });

  it('supports other Chromium-based browsers (Edge, Chrome on Android) and Firefox', () => {
    expect(isolated(UA.edge).supported).toBe(true);
    expect(isolated(UA.androidChrome, 5).supported).toBe(true);
    expect(isolated(UA.firefox)).toEqual({ supported: true });
  });

  it('refuses the iPhone, whatever its browser, because of memory', () => {
    for (const userAgent of [UA.iPhone, UA.iPhoneChrome]) {
      expect(isolated(userAgent, 5)).toEqual({ supported: false, reason: 'WebContainer runs out of memory on iOS' });
    }
  });

  it('refuses an iPad that reports itself as a Mac (touch points), but not a real Mac with the same user agent', () => {
    expect(isolated(UA.macSafari17, 5)).toEqual({ supported: false, reason: 'WebContainer runs out of memory on iOS' });
    expect(isolated(UA.macSafari17, 0)).toEqual({ supported: true });
    expect(webContainerSupport({ crossOriginIsolated: true, userAgent: UA.macSafari17 })).toEqual({ supported: true });
  });

  it('supports Safari from 16.4 and refuses older Safari, naming the version needed', () => {
    expect(isolated(UA.macSafari164)).toEqual({ supported: true });
    for (const [userAgent, version] of [[UA.macSafari163, '16.3'], [UA.macSafari15, '15.6']] as const) {
      const support = isolated(userAgent);
      expect(support.supported).toBe(false);
      expect(support.reason).toContain(`Safari ${version} is too old`);
      expect(support.reason).toContain('Safari 16.4 or later');
    }
  });

  it('refuses browsers it does not know, and pre-Chromium Edge, with the browsers it needs', () => {
    for (const userAgent of [UA.ie, UA.edgeLegacy, '']) {
      const support = isolated(userAgent);
      expect(support.supported).toBe(false);
      expect(support.reason).toContain('Chromium-based browser, Firefox or Safari 16.4 or later');
    }
  });

  it('gives the browser reason before the isolation reason (the permanent cause first)', () => {
    expect(webContainerSupport({ crossOriginIsolated: false, userAgent: UA.iPhone }).reason).toBe('WebContainer runs out of memory on iOS');
  });
});
