// Registers the site's service worker (src/offline/service-worker.ts) in the built site, and shows the update notice
// when a newer build is ready: the learner reloads when it suits them, never in the middle of a kata.
// The worker downloads the whole site (about 35 MB) on a first visit and what changed after a new build: it is
// registered only once the page is quiet, and held while the page is busy (src/offline/quiet.ts), so that it never
// competes with the page's own start or a learner's "Run tests".
import type { ToServiceWorker } from './protocol.ts';
import { isBusy, onBusyChange, whenQuiet } from './quiet.ts';

const SCRIPT = '/sw.js';
/** A page renews its pause this often while busy: the worker lets a pause lapse after a minute (src/offline/pauses.ts). */
const RENEW_MS = 20_000;
/** Heard on window once the worker is registered: /engine-check/ follows the download from then on (readiness.ts). */
export const REGISTERED_EVENT = 'dojo:offline-registered';

/** The notice's words and button: the learner decides when the new build takes over. */
export function showUpdateNotice(notice: HTMLElement, onReload: () => void): void {
  if (notice.querySelector('button')) return;
  const text = document.createElement('p');
  text.textContent = 'A new version of the site is available — ';
  const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Reload', className: 'button small primary' });
  button.addEventListener('click', onReload);
  text.append(button);
  notice.append(text);
  notice.dataset.shown = 'true';
}

export async function registerOffline(notice: HTMLElement): Promise<void> {
  // `astro dev` serves no sw.js, and a worker caching dev modules would serve stale code after every edit.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const container = navigator.serviceWorker;
  // Controlled from the start: a later change of controller is a new build taking over, not the first install.
  const wasControlled = container.controller !== null;
  let reloadAsked = false;
  container.addEventListener('controllerchange', () => {
    if (wasControlled && reloadAsked) location.reload();
  });
  await whenQuiet();
  let registered: ServiceWorkerRegistration | undefined;
  try {
    registered = await container.register(SCRIPT, { scope: '/' });
  } catch {
    return; // private windows and some policies refuse service workers: the site works online as before
  }
  // A blocked registration (automation tools, some privacy extensions) can resolve to nothing instead of failing.
  if (!registered) return;
  const registration = registered;
  holdWhileBusy(registration);
  dispatchEvent(new Event(REGISTERED_EVENT));
  const offer = () => {
    const waiting = registration.waiting;
    // Without a controller this is the first install, which changes nothing the learner sees.
    if (!waiting || !container.controller) return;
    showUpdateNotice(notice, () => {
      reloadAsked = true;
      const current = registration.waiting;
      if (current) current.postMessage({ type: 'skip-waiting' } satisfies ToServiceWorker);
      else location.reload(); // another tab already let the new build in
    });
  };
  offer();
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offer();
    });
  });
}

/** Tells a worker that is downloading the site to wait while this page is busy, and to go on once it is quiet again. */
function holdWhileBusy(registration: ServiceWorkerRegistration): void {
  const tell = (type: 'pause' | 'resume') => registration.installing?.postMessage({ type } satisfies ToServiceWorker);
  let renew: ReturnType<typeof setInterval> | undefined;
  let quiet = 0; // which quiet spell a pending resume belongs to: a run that starts meanwhile cancels it
  const follow = (busy: boolean) => {
    quiet += 1;
    if (busy) {
      tell('pause');
      renew ??= setInterval(() => tell('pause'), RENEW_MS);
      return;
    }
    clearInterval(renew);
    renew = undefined;
    const spell = quiet;
    void whenQuiet().then(() => {
      if (spell === quiet) tell('resume');
    });
  };
  onBusyChange(follow);
  if (isBusy()) follow(true); // a run that started while the worker was being registered
  // A new build found while the page is busy waits too.
  registration.addEventListener('updatefound', () => {
    if (isBusy()) tell('pause');
  });
  addEventListener('pagehide', () => tell('resume'));
}
