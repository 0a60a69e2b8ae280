/**
 * Receipts on their way to the server, sent exactly once.
 *
 * Each receipt gets its expense's id on the phone (`newId`) before anything is sent, and
 * every attempt sends that id (`expense_id`): the server creates one expense per id, so a
 * retry after a lost answer returns the same receipt instead of a second expense. Until the
 * server has it, the photo is kept in IndexedDB (with the account it belongs to), so closing
 * the app or losing the connection loses nothing; it is sent again when the phone is back
 * online, after a growing pause, or when the employee taps "Försök igen".
 */
import { signal } from '@preact/signals';

import { api, ApiError, newId } from '../../api';
import { messages } from '../../i18n';
import { user } from '../../session';
import type { ReceiptView } from './model';

export type UploadStatus = 'uploading' | 'waiting' | 'failed';

export interface PendingUpload {
  /** The expense's id, chosen here. */
  id: string;
  name: string;
  size: number;
  file: Blob;
  status: UploadStatus;
  /** 0..1 of the file sent. */
  progress: number;
  error: ApiError | null;
  createdAt: number;
}

export const uploads = signal<Record<string, PendingUpload>>({});

function put(next: PendingUpload): void {
  uploads.value = { ...uploads.value, [next.id]: next };
}

function drop(id: string): void {
  const { [id]: _gone, ...rest } = uploads.value;
  uploads.value = rest;
}

// --- the device's copy (IndexedDB) --------------------------------------------------------------

interface StoredUpload {
  id: string;
  accountId: string;
  name: string;
  file: Blob;
  createdAt: number;
}

const DB_NAME = 'selfservice-uploads';
const STORE = 'receipts';
let database: Promise<IDBDatabase | null> | null = null;

function openDb(): Promise<IDBDatabase | null> {
  database ??= new Promise((resolve) => {
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB (private mode, policies): the upload still works while the app is open
    }
  });
  return database;
}

async function stored<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
  const db = await openDb();
  if (!db) return null;
  return new Promise((resolve) => {
    try {
      const request = act(db.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
}

// --- sending -------------------------------------------------------------------------------------

const inFlight = new Set<string>();
const retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
const attempts = new Map<string, number>();
const arrivedListeners = new Set<(receipt: ReceiptView) => void>();

/** Called with the server's receipt when an upload has arrived. */
export function onArrived(listener: (receipt: ReceiptView) => void): () => void {
  arrivedListeners.add(listener);
  return () => arrivedListeners.delete(listener);
}

function scheduleRetry(id: string): void {
  clearTimeout(retryTimers.get(id));
  const count = (attempts.get(id) ?? 0) + 1;
  attempts.set(id, count);
  const delay = Math.min(60_000, 5_000 * 2 ** (count - 1));
  retryTimers.set(
    id,
    setTimeout(() => void send(id), delay),
  );
}

async function send(id: string): Promise<void> {
  const upload = uploads.value[id];
  if (!upload || inFlight.has(id)) return;
  inFlight.add(id);
  clearTimeout(retryTimers.get(id));
  put({ ...upload, status: 'uploading', progress: 0, error: null });
  const form = new FormData();
  form.append('expense_id', id);
  form.append('file', upload.file, upload.name || 'receipt');
  try {
    const receipt = await api.post<ReceiptView>('/api/receipts', form, {
      onUploadProgress: (fraction) => {
        const current = uploads.value[id];
        if (current) put({ ...current, progress: fraction });
      },
    });
    attempts.delete(id);
    drop(id);
    await stored('readwrite', (store) => store.delete(id));
    for (const listener of arrivedListeners) listener(receipt);
  } catch (caught) {
    const t = messages.value;
    const error =
      caught instanceof ApiError
        ? caught
        : new ApiError({ title: t.errors.unexpected, detail: t.errors.unexpectedDetail, status: 0, code: 'client_error' });
    const current = uploads.value[id];
    if (current) {
      // No answer at all: keep it and send it again later. An answer that refuses the file
      // (too large, wrong type, unreadable) needs the employee: another file or nothing.
      const retry = error.status === 0 || error.status === 401 || error.status >= 500;
      put({ ...current, status: retry ? 'waiting' : 'failed', progress: 0, error });
      if (retry && error.status !== 401) scheduleRetry(id);
    }
  } finally {
    inFlight.delete(id);
  }
}

/** Start sending a photo or scan; returns the id of the expense it will open. */
export function startUpload(file: File): string {
  const id = newId();
  put({ id, name: file.name, size: file.size, file, status: 'uploading', progress: 0, error: null, createdAt: Date.now() });
  const accountId = user.value?.id;
  // Saved before the first byte is sent, so a closed app or a lost connection loses nothing.
  const saved = accountId
    ? stored('readwrite', (store) =>
        store.put({ id, accountId, name: file.name, file, createdAt: Date.now() } satisfies StoredUpload),
      )
    : Promise.resolve(null);
  void saved.finally(() => void send(id));
  return id;
}

export function retryUpload(id: string): void {
  attempts.delete(id);
  void send(id);
}

/** A refused file replaced by another one, for the same expense (nothing was created for the first). */
export function replaceFile(id: string, file: File): void {
  const current = uploads.value[id];
  if (!current) return;
  put({ ...current, name: file.name, size: file.size, file, status: 'uploading', progress: 0, error: null });
  const accountId = user.value?.id;
  const saved = accountId
    ? stored('readwrite', (store) =>
        store.put({ id, accountId, name: file.name, file, createdAt: current.createdAt } satisfies StoredUpload),
      )
    : Promise.resolve(null);
  void saved.finally(() => void send(id));
}

export function discardUpload(id: string): void {
  clearTimeout(retryTimers.get(id));
  attempts.delete(id);
  drop(id);
  void stored('readwrite', (store) => store.delete(id));
}

/**
 * Pick up what this account left on the device (the app was closed before a receipt got
 * through) and send everything that is waiting. Called when the expense screens open.
 */
export async function resumeUploads(): Promise<void> {
  const accountId = user.value?.id;
  if (!accountId) return;
  const saved = (await stored<StoredUpload[]>('readonly', (store) => store.getAll())) ?? [];
  for (const item of saved) {
    if (item.accountId !== accountId || uploads.value[item.id]) continue;
    put({
      id: item.id,
      name: item.name,
      size: item.file.size,
      file: item.file,
      status: 'waiting',
      progress: 0,
      error: null,
      createdAt: item.createdAt,
    });
  }
  for (const upload of Object.values(uploads.value)) {
    if (upload.status === 'waiting') void send(upload.id);
  }
}

addEventListener('online', () => {
  for (const upload of Object.values(uploads.value)) {
    if (upload.status === 'waiting') retryUpload(upload.id);
  }
});
