// When the page may do background work that competes with the learner (saving the site for offline use): once it has
// loaded and the browser has had an idle moment, and never while a kata run is under way. Work that needs the machine
// marks the page busy here; the count lives on the document (an attribute and an event), so scripts bundled apart (the
// workbench, the update notice) share one signal.

/** What the busy count lives on: the page's <html> element (a stand-in in unit tests). */
export type BusyHost = Pick<Element, 'getAttribute' | 'setAttribute' | 'removeAttribute'> & EventTarget;

const ATTRIBUTE = 'data-busy';
const EVENT = 'dojo:busy-change';

const documentHost = (): BusyHost => document.documentElement;

function count(host: BusyHost): number {
  return Number(host.getAttribute(ATTRIBUTE) ?? 0);
}

function change(host: BusyHost, by: number): void {
  const before = count(host);
  const after = Math.max(0, before + by);
  if (after > 0) host.setAttribute(ATTRIBUTE, String(after));
  else host.removeAttribute(ATTRIBUTE);
  if ((before > 0) !== (after > 0)) host.dispatchEvent(new Event(EVENT));
}

/** Marks the page busy (a kata run, the editor loading); the returned function ends it, once however often called. */
export function markBusy(host: BusyHost = documentHost()): () => void {
  change(host, +1);
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    change(host, -1);
  };
}

export function isBusy(host: BusyHost = documentHost()): boolean {
  return count(host) > 0;
}

/** Hears each change between busy and not busy; returns the function that stops listening. */
export function onBusyChange(listener: (busy: boolean) => void, host: BusyHost = documentHost()): () => void {
  const heard = () => listener(isBusy(host));
  host.addEventListener(EVENT, heard);
  return () => host.removeEventListener(EVENT, heard);
}

export interface QuietOptions {
  host?: BusyHost;
  /** After busy work ends, how long nothing may be busy: a learner who fixes and reruns starts again within seconds. */
  settleMs?: number;
  /** Resolves once the page has loaded. */
  loaded?: () => Promise<void>;
  /** Resolves at the browser's next idle moment. */
  idle?: () => Promise<void>;
}

const pageLoaded = () => new Promise<void>((resolve) => {
  if (document.readyState === 'complete') resolve();
  else addEventListener('load', () => resolve(), { once: true });
});

const browserIdle = () => new Promise<void>((resolve) => {
  // The timeout: a page that is never idle (an animation) still gets its offline copy, later.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout: 10_000 });
  else setTimeout(resolve, 200); // Safari before 18 has no requestIdleCallback
});

/** Resolves once nothing is busy, or at once when nothing is. */
function notBusy(host: BusyHost): Promise<void> {
  return new Promise((resolve) => {
    if (!isBusy(host)) return resolve();
    const stop = onBusyChange((busy) => {
      if (busy) return;
      stop();
      resolve();
    }, host);
  });
}

/** Waits `ms` unless something becomes busy first: true when the wait was interrupted. */
function settle(host: BusyHost, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      stop();
      resolve(false);
    }, ms);
    const stop = onBusyChange((busy) => {
      if (!busy) return;
      clearTimeout(timer);
      stop();
      resolve(true);
    }, host);
  });
}

/**
 * Resolves when background work may start: the page has loaded, nothing is busy (and, after busy work, nothing has
 * been for `settleMs`), and the browser has had an idle moment with nothing busy.
 */
export async function whenQuiet({ host = documentHost(), settleMs = 2000, loaded = pageLoaded, idle = browserIdle }: QuietOptions = {}): Promise<void> {
  await loaded();
  for (;;) {
    if (isBusy(host)) {
      await notBusy(host);
      if (await settle(host, settleMs)) continue;
    }
    await idle();
    if (!isBusy(host)) return;
  }
}
