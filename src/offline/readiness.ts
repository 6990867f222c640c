// Whether this browser has the whole site for offline use, in words for an instructor (/engine-check/).
import type { OfflineStatus, ToServiceWorker } from './protocol.ts';
import { REGISTERED_EVENT } from './register.ts';

export type Readiness =
  | { state: 'unsupported' | 'not-built' | 'refused' | 'saving' }
  | { state: 'ready' | 'partial'; status: OfflineStatus };

/** The sentence the page shows for a readiness. */
export function readinessText(readiness: Readiness): string {
  switch (readiness.state) {
    case 'unsupported': return 'Not ready offline: this browser cannot keep a site for offline use (no service workers; a private window can cause this). Learners here need the network.';
    case 'not-built': return 'Not ready offline: offline use comes with the built site (npm run build, then a host or npm run preview), not the development server.';
    case 'refused': return 'Not ready offline: saving the site failed (the network dropped, or this browser\'s storage is full or blocked). Reload this page to try again.';
    case 'saving': return 'Saving the site for offline use… keep this page open.';
    case 'partial': return `Not ready offline: ${readiness.status.cached} of ${readiness.status.total} files are kept; the browser may have cleared some. Reload this page to save them again.`;
    case 'ready': {
      const size = readiness.status.usage === null ? '' : ` (${(readiness.status.usage / 1024 / 1024).toFixed(0)} MB)`;
      return `Ready offline: all ${readiness.status.total} files of this version of the site are kept in this browser${size}. Lessons, katas, the editor and search work with no network.`;
    }
  }
}

/** Ask the active service worker how much of its build it keeps. */
function askStatus(worker: ServiceWorker): Promise<OfflineStatus> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent<OfflineStatus>) => resolve(event.data);
    worker.postMessage({ type: 'status' } satisfies ToServiceWorker, [channel.port2]);
  });
}

/** How ready this browser is now; `onChange` hears again once a save in progress ends (or fails). */
export async function checkReadiness(onChange: (readiness: Readiness) => void): Promise<Readiness> {
  if (!('serviceWorker' in navigator)) return { state: 'unsupported' };
  if (!import.meta.env.PROD) return { state: 'not-built' };
  const registration = await navigator.serviceWorker.getRegistration('/');
  const active = registration?.active;
  const pending = registration?.installing ?? registration?.waiting;
  const installing = registration?.installing;
  installing?.addEventListener('statechange', () => {
    if (installing.state === 'redundant' && !registration?.active) onChange({ state: 'refused' });
  });
  if (!active) {
    if (!registration) {
      // The page registers the worker once it is quiet (src/offline/register.ts): look again then, to hear of a
      // download that fails.
      addEventListener(REGISTERED_EVENT, () => void checkReadiness(onChange).then(onChange), { once: true });
      return { state: 'saving' };
    }
    // Active once everything is kept.
    void navigator.serviceWorker.ready.then(() => checkReadiness(onChange)).then(onChange);
    return { state: 'saving' };
  }
  const status = await askStatus(active);
  if (status.cached === status.total) return { state: 'ready', status };
  return pending ? { state: 'saving' } : { state: 'partial', status };
}
