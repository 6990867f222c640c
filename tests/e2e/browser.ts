// Finds a Chromium to drive: $CHROMIUM_PATH, the system's (Debian: apt-get install -y chromium), or Playwright's own.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export const HOW_TO_INSTALL = `No Chromium found for the browser tests. Install one of:
  - Debian/Ubuntu: sudo apt-get install -y chromium     (then run the tests again)
  - anywhere with internet: npx playwright install chromium
  - or point CHROMIUM_PATH at a Chrome/Chromium binary`;

/** The executable to launch, or undefined to use Playwright's downloaded browser. Throws with a how-to when none exists. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.\n${HOW_TO_INSTALL}`);
    return fromEnv;
  }
  const system = SYSTEM_CHROMIUMS.find((path) => existsSync(path));
  if (system) return system;
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return undefined;
  throw new Error(HOW_TO_INSTALL);
}

/** Flags that keep Chromium quiet on a machine with a closed network and no GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
