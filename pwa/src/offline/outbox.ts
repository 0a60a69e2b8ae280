/**
 * The app's side of the outbox (see outbox-core.ts): what this account has waiting on the
 * phone (a signal the header badge and the lists read), adding to it, and sending it when
 * the network is back: the `online` event, the app coming to the front, the next start, a
 * timer after a failed try, and Background Sync in the service worker where the browser has it.
 */
import { computed, signal } from '@preact/signals';

import { api, ApiError, newId, request, type Method, type RequestOptions } from '../api';
import { locale, messages } from '../i18n';
import { status, user } from '../session';
import {
  allItems,
  deleteItem,
  getItem,
  itemsOf,
  OUTBOX_CHANGED,
  runOutbox,
  saveItem,
  SYNC_TAG,
  type Answer,
  type OutboxItem,
} from './outbox-core';

export type { OutboxItem, OutboxKind, OutboxSummary } from './outbox-core';

/** This account's items on the device, oldest first. */
export const outbox = signal<OutboxItem[]>([]);
/** Upload progress (0..1) of items being sent from this window. */
export const progress = signal<Record<string, number>>({});
/** Whether the browser believes it is online. */
export const online = signal(typeof navigator === 'undefined' ? true : navigator.onLine);

export const waitingCount = computed(() => outbox.value.filter((item) => item.state !== 'conflict').length);
export const conflictCount = computed(() => outbox.value.filter((item) => item.state === 'conflict').length);

const sentListeners = new Set<(item: OutboxItem, data: unknown) => void>();

/** Called with the server's answer whenever an item has been received (in this window or by the service worker). */
export function onSent(listener: (item: OutboxItem, data: unknown) => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

function accountId(): string | null {
  return user.peek()?.id ?? null;
}

export async function refreshOutbox(): Promise<void> {
  const id = accountId();
  outbox.value = id ? await itemsOf(id) : [];
}

/** Sending from this window goes through api.ts: CSRF, the language, renewal, upload progress. */
async function transport(item: OutboxItem): Promise<Answer> {
  const headers: Record<string, string> = { 'Accept-Language': item.lang };
  if (item.idempotencyKey) headers['Idempotency-Key'] = item.idempotencyKey;
  const options: RequestOptions = { headers };
  if (item.file) {
    const form = new FormData();
    for (const [key, value] of Object.entries(item.fields ?? {})) form.append(key, value);
    form.append('file', item.file, item.fileName || 'receipt');
    options.body = form;
    options.onUploadProgress = (fraction) => {
      progress.value = { ...progress.value, [item.id]: fraction };
    };
  } else if (item.body !== undefined) {
    options.body = item.body;
  }
  try {
    const data = await request<unknown>(item.method as Method, item.path, options);
    return { status: 200, data, problem: null };
  } catch (caught) {
    if (caught instanceof ApiError) return { status: caught.status, data: null, problem: caught.problem };
    return { status: 0, data: null, problem: null };
  } finally {
    if (item.file) {
      const { [item.id]: _done, ...rest } = progress.value;
      progress.value = rest;
    }
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
let again = false;
let againNow = false;
let running: Promise<void> | null = null;

/** Send what is due now (`now`: also what is pausing after a failed try). */
export function flush(now = false): Promise<void> {
  if (running) {
    // Once this run is over; "now" only when asked by the user or the network (never a repeat of a failure).
    again = true;
    againNow ||= now;
    return running;
  }
  const id = accountId();
  if (!id || status.peek() !== 'signed-in') return Promise.resolve();
  clearTimeout(timer);
  running = runOutbox({
    accountId: id,
    transport,
    now,
    onChange: () => void refreshOutbox(),
    onSent: (item, data) => {
      for (const listener of sentListeners) listener(item, data);
    },
  })
    .then(async (result) => {
      await refreshOutbox();
      if (result.waiting === -1) {
        // Another tab or the service worker is sending right now: look again shortly.
        timer = setTimeout(() => void flush(), 3_000);
        return;
      }
      const next = outbox.value
        .filter((item) => item.state === 'waiting')
        .reduce((soonest, item) => Math.min(soonest, item.nextAttemptAt), Infinity);
      if (Number.isFinite(next)) timer = setTimeout(() => void flush(), Math.max(1_000, next - Date.now()));
    })
    .catch(() => undefined)
    .finally(() => {
      running = null;
      if (again) {
        const forced = againNow;
        again = false;
        againNow = false;
        void flush(forced);
      }
    });
  return running;
}

/** Ask the service worker to send the outbox when the connection is back, even if the app is closed by then. */
async function requestBackgroundSync(): Promise<void> {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    const sync = (registration as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined)
      ?.sync;
    await sync?.register(SYNC_TAG);
  } catch {
    // no Background Sync (Safari, Firefox): the online event and the next start send it
  }
}

/** What a caller gives for a new item (see OutboxItem); the rest is the outbox's own bookkeeping. */
export type NewItem = Pick<
  OutboxItem,
  'kind' | 'method' | 'path' | 'body' | 'file' | 'fileName' | 'fields' | 'idempotencyKey' | 'after' | 'fill' | 'summary'
> & {
  /** The item's id; a new one by default. The id of a receipt is its expense's id. */
  id?: string;
};

/**
 * Keep a request on the device until the server has it. A PUT to the same address that is
 * still waiting is replaced (the last save wins, in the first one's place). Resolves once
 * the item is stored for good; false when the device cannot keep it (no IndexedDB).
 */
export async function enqueue(next: NewItem): Promise<OutboxItem | null> {
  const account = accountId();
  if (!account) return null;
  let item: OutboxItem | null = null;
  if (next.method === 'PUT') {
    const existing = (await itemsOf(account)).find((other) => other.method === 'PUT' && other.path === next.path);
    if (existing) {
      item = {
        ...existing,
        body: next.body,
        summary: next.summary,
        lang: locale.peek(),
        revision: existing.revision + 1,
        state: existing.state === 'sending' ? 'sending' : 'waiting',
        attempts: 0,
        nextAttemptAt: 0,
        problem: null,
      };
    }
  }
  item ??= {
    id: next.id ?? newId(),
    accountId: account,
    kind: next.kind,
    method: next.method,
    path: next.path,
    summary: next.summary,
    lang: locale.peek(),
    createdAt: Date.now(),
    revision: 0,
    state: 'waiting',
    attempts: 0,
    nextAttemptAt: 0,
    problem: null,
    ...(next.body !== undefined ? { body: next.body } : {}),
    ...(next.file ? { file: next.file, fileName: next.fileName ?? '' } : {}),
    ...(next.fields ? { fields: next.fields } : {}),
    ...(next.idempotencyKey ? { idempotencyKey: next.idempotencyKey } : {}),
    ...(next.after ? { after: next.after } : {}),
    ...(next.fill ? { fill: next.fill } : {}),
  };
  const saved = await saveItem(item);
  await refreshOutbox();
  if (!saved) return null;
  void requestBackgroundSync();
  void flush();
  return item;
}

/** Change a waiting item in place (another file for a refused receipt) and send it again. */
export async function updateItem(id: string, change: Partial<Pick<OutboxItem, 'file' | 'fileName' | 'body'>>): Promise<void> {
  const item = await getItem(id);
  if (!item) return;
  await saveItem({ ...item, ...change, revision: item.revision + 1, state: 'waiting', attempts: 0, nextAttemptAt: 0, problem: null });
  await refreshOutbox();
  void flush();
}

/**
 * "Försök igen": send it now. A refused decision goes with a new Idempotency-Key (the server
 * keeps its first answer for the old one); everything else is the same request again.
 */
export async function retryItem(id: string): Promise<void> {
  const item = await getItem(id);
  if (item && item.state !== 'sending') {
    const fresh = item.state === 'conflict' && item.idempotencyKey ? { idempotencyKey: newId() } : {};
    await saveItem({ ...item, ...fresh, state: 'waiting', nextAttemptAt: 0, problem: null });
    await refreshOutbox();
  }
  void flush(true);
}

/** "Släng": the user gives the item up, and whatever waits for it (an expense for a discarded receipt). */
export async function discardItem(id: string): Promise<void> {
  const all = await allItems();
  const doomed = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const item of all) {
      if (item.after && doomed.has(item.after) && !doomed.has(item.id)) {
        doomed.add(item.id);
        grew = true;
      }
    }
  }
  for (const gone of doomed) await deleteItem(gone);
  await refreshOutbox();
}

/** The waiting PUT for an address, if any (e.g. an expense saved on the phone, not yet sent). */
export function pendingPut(path: string): OutboxItem | undefined {
  return outbox.value.find((item) => item.method === 'PUT' && item.path === path);
}

export type Sent<T> = { queued: false; data: T } | { queued: true; item: OutboxItem };

/**
 * Send now when there is a connection; when there is none (or no answer comes), keep it in
 * the outbox instead. The same id / Idempotency-Key is used for both, so a request whose
 * answer was lost and that is then sent from the outbox still acts once.
 */
export async function sendOrQueue<T>(next: NewItem & { id: string }): Promise<Sent<T>> {
  if (navigator.onLine && !next.after) {
    try {
      const headers: Record<string, string> = next.idempotencyKey ? { 'Idempotency-Key': next.idempotencyKey } : {};
      const data =
        next.method === 'PUT'
          ? await api.put<T>(next.path, next.body, { headers })
          : await api.post<T>(next.path, next.body, { headers });
      return { queued: false, data };
    } catch (caught) {
      if (!(caught instanceof ApiError) || caught.status !== 0) throw caught;
    }
  }
  const item = await enqueue(next);
  if (!item) {
    const t = messages.peek();
    throw new ApiError({ title: t.errors.network, detail: t.errors.networkDetail, status: 0, code: 'network_error' });
  }
  return { queued: true, item };
}

// --- when to send -----------------------------------------------------------------------------

let started = false;

/** Wired once at start: sends whenever there is a reason to believe it could get through now. */
export function startOutbox(): void {
  if (started) return;
  started = true;
  addEventListener('online', () => {
    online.value = true;
    void flush(true);
  });
  addEventListener('offline', () => {
    online.value = false;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refreshOutbox().then(() => flush());
  });
  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: string; sent?: Array<{ item: OutboxItem; data: unknown }> } | null;
    if (data?.type !== OUTBOX_CHANGED) return;
    for (const { item, data: answer } of data.sent ?? []) {
      for (const listener of sentListeners) listener(item, answer);
    }
    void refreshOutbox();
  });
}

/** After sign-in (and at every start signed in): show this account's items and send them. */
export async function resumeOutbox(): Promise<void> {
  startOutbox();
  await refreshOutbox();
  if (outbox.value.length) void requestBackgroundSync();
  await flush(true);
}
