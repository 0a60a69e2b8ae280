/// <reference lib="webworker" />
/**
 * The service worker: keeps the app shell (HTML, JS, CSS, icons) on the device so the app
 * starts fast and opens without a network. API answers are never cached here: requests to
 * /api/ are not intercepted at all (offline data comes with its own, explicit design).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

import { SYNC_TAG } from './offline/outbox-core';
import { syncOutbox } from './offline/sw-outbox';
import { actionsFor, notificationUrl, readPushPayload, SUBSCRIPTIONS_CHANGED } from './push/payload';

declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Deep links (/start, later /expenses/123) open the cached app shell, like the server's fallback.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: [/^\/api(\/|$)/, /^\/health(\/|$)/, /^\/schema(\/|$)/],
  }),
);

// A new version waits until the user chooses "Reload" (see src/app/serviceWorker.ts).
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// --- Web Push -----------------------------------------------------------------------------------
// A push shows a notification (the payload is already in the recipient's language) and tells open
// windows to refresh their unread count. A click focuses a window of the app on the notice's page,
// or opens one. When the browser replaces the subscription, it is registered again.

async function tellWindows(message: unknown): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  for (const client of windows) client.postMessage(message);
}

self.addEventListener('push', (event: PushEvent) => {
  const payload = readPushPayload(event.data?.text() ?? null);
  const options: NotificationOptions & { actions?: Array<{ action: string; title: string }> } = {
    body: payload.body,
    tag: payload.tag,
    data: { url: payload.url, ids: payload.ids },
    icon: '/icons/icon-192.png',
    badge: '/icons/icon-192.png',
    lang: payload.lang,
    actions: actionsFor(payload),
  };
  event.waitUntil(
    Promise.all([
      self.registration.showNotification(payload.title, options),
      tellWindows({ type: 'notice-received', ids: payload.ids }),
    ]),
  );
});

self.addEventListener('notificationclick', (event: NotificationEvent) => {
  event.notification.close();
  const data = (event.notification.data ?? {}) as { url?: string; ids?: Record<string, string> };
  const target = new URL(notificationUrl(data.url, data.ids?.notice), self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        // The app routes on the client side; a message avoids reloading it.
        open.postMessage({ type: 'open-notice', url: target });
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});

async function csrfToken(): Promise<string | null> {
  const store = (self as unknown as { cookieStore?: { get(name: string): Promise<{ value: string } | null> } })
    .cookieStore;
  if (!store) return null;
  return (await store.get('selfservice_csrf'))?.value ?? null;
}

async function resubscribe(old: PushSubscription | null): Promise<void> {
  const keyAnswer = await fetch('/api/push/key', { credentials: 'same-origin' });
  if (!keyAnswer.ok) throw new Error(`push key: ${keyAnswer.status}`);
  const { application_server_key: key } = (await keyAnswer.json()) as { application_server_key: string };
  const padded = key.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(key.length / 4) * 4, '=');
  const subscription = await self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)),
  });
  const token = await csrfToken();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers['x-csrf-token'] = token;
  const saved = await fetch('/api/push/subscriptions', {
    method: 'POST',
    credentials: 'same-origin',
    headers,
    body: JSON.stringify(subscription.toJSON()),
  });
  if (old && saved.ok) {
    await fetch('/api/push/unsubscribe', {
      method: 'POST',
      credentials: 'same-origin',
      headers,
      body: JSON.stringify({ endpoint: old.endpoint }),
    });
  }
  // Without a session or a CSRF token here, the app registers it the next time it opens.
  if (!saved.ok) await tellWindows({ type: SUBSCRIPTIONS_CHANGED });
}

self.addEventListener('pushsubscriptionchange', (event: Event) => {
  const change = event as ExtendableEvent & { oldSubscription?: PushSubscription | null };
  change.waitUntil(resubscribe(change.oldSubscription ?? null).catch(() => tellWindows({ type: SUBSCRIPTIONS_CHANGED })));
});

// --- Offline outbox -----------------------------------------------------------------------------
// Background Sync (where the browser has it): receipts, expenses, weeks and decisions made without a
// connection are sent when it is back, even if the app was closed. See src/offline/.

self.addEventListener('sync', (event: Event) => {
  const sync = event as ExtendableEvent & { tag?: string };
  if (sync.tag !== SYNC_TAG) return;
  sync.waitUntil(syncOutbox({ csrfToken, tellWindows }));
});

clientsClaim();
