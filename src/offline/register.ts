// Registers the site's service worker (src/offline/service-worker.ts) in the built site, and shows the update notice
// when a newer build is ready: the learner reloads when it suits them, never in the middle of a kata.
import type { ToServiceWorker } from './protocol.ts';

const SCRIPT = '/sw.js';

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
  let registered: ServiceWorkerRegistration | undefined;
  try {
    registered = await container.register(SCRIPT, { scope: '/' });
  } catch {
    return; // private windows and some policies refuse service workers: the site works online as before
  }
  // A blocked registration (automation tools, some privacy extensions) can resolve to nothing instead of failing.
  if (!registered) return;
  const registration = registered;
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
