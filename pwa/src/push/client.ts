/**
 * Web Push on this device: subscribe (only after the user asks: a button, never on load),
 * unsubscribe, and keep the server's record of this device up to date. The server's
 * `GET /api/push/key` gives the application server key; the subscription goes to
 * `POST /api/push/subscriptions` as the browser's `toJSON()` gives it.
 */
import { signal } from '@preact/signals';

import { api, type Schema } from '../api';

export type PushState = 'unsupported' | 'denied' | 'off' | 'on';

export const pushState = signal<PushState>('off');

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

async function registration(): Promise<ServiceWorkerRegistration> {
  return navigator.serviceWorker.ready;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  if (!pushSupported()) return null;
  return (await registration()).pushManager.getSubscription();
}

/** Where this device stands; updates `pushState`. */
export async function refreshPushState(): Promise<PushState> {
  let state: PushState;
  if (!pushSupported()) state = 'unsupported';
  else if (Notification.permission === 'denied') state = 'denied';
  else state = (await currentSubscription()) && Notification.permission === 'granted' ? 'on' : 'off';
  pushState.value = state;
  return state;
}

async function register(subscription: PushSubscription): Promise<void> {
  await api.post('/api/push/subscriptions', { ...subscription.toJSON(), user_agent: navigator.userAgent.slice(0, 300) });
}

/** Call from a click: asks for permission, subscribes with the server's key, registers the device. */
export async function enablePush(): Promise<PushState> {
  if (!pushSupported()) return refreshPushState();
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return refreshPushState();
  const { application_server_key: key } = await api.get<Schema<'PushKey'>>('/api/push/key');
  const manager = (await registration()).pushManager;
  let subscription = await manager.getSubscription();
  const sameKey =
    subscription?.options.applicationServerKey &&
    btoa(String.fromCharCode(...new Uint8Array(subscription.options.applicationServerKey)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '') === key;
  if (subscription && !sameKey) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await manager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await register(subscription);
  return refreshPushState();
}

export async function disablePush(): Promise<PushState> {
  const subscription = await currentSubscription();
  if (subscription) {
    await api.post('/api/push/unsubscribe', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  return refreshPushState();
}

/** At start and when the service worker says so: the server learns this device's current subscription. */
export async function syncSubscription(): Promise<void> {
  if (!pushSupported() || Notification.permission !== 'granted') {
    await refreshPushState();
    return;
  }
  const subscription = await currentSubscription();
  if (subscription) await register(subscription).catch(() => undefined);
  await refreshPushState();
}
