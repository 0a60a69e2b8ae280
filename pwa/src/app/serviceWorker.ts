/**
 * Registers `/sw.js` and tells the UI when a new version is installed and waiting.
 * The new version takes over only when the user says so (the "Reload" button), so a
 * half-filled form is never swapped out from under them.
 */
import { signal } from '@preact/signals';

export const updateAvailable = signal(false);

const CHECK_EVERY_MS = 60 * 60_000;
let waiting: ServiceWorker | null = null;
let lastCheck = 0;

function watch(registration: ServiceWorkerRegistration): void {
  const offerIfWaiting = () => {
    // Without a controller this is the first install, not an update: nothing to offer.
    if (registration.waiting && navigator.serviceWorker.controller) {
      waiting = registration.waiting;
      updateAvailable.value = true;
    }
  };
  offerIfWaiting();
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') offerIfWaiting();
    });
  });
  const check = () => {
    if (Date.now() - lastCheck < 10 * 60_000) return;
    lastCheck = Date.now();
    registration.update().catch(() => undefined); // offline: try again later
  };
  // Installed apps stay open for days: look for a new version now and then.
  setInterval(check, CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
}

export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    lastCheck = Date.now();
    navigator.serviceWorker
      .register('/sw.js', { scope: '/' })
      .then(watch)
      .catch((error: unknown) => console.warn('Service worker not registered', error));
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}

/** Let the waiting version take over, then reload into it. */
export function applyUpdate(): void {
  if (!waiting) {
    location.reload();
    return;
  }
  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) return;
    reloading = true;
    location.reload();
  });
  waiting.postMessage({ type: 'SKIP_WAITING' });
}
