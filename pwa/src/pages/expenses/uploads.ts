/**
 * Receipts on their way to the server, sent exactly once.
 *
 * Each receipt gets its expense's id on the phone (`newId`) before anything is sent, and
 * every attempt sends that id (`expense_id`): the server creates one expense per id, so a
 * retry after a lost answer returns the same receipt instead of a second expense. The photo
 * itself (the Blob) waits in the app's outbox (IndexedDB, src/offline/), with the account it
 * belongs to, until the server has it: closing the app or losing the connection loses nothing;
 * it is sent again when the phone is back online (Background Sync where the browser has it),
 * after a growing pause, at the next start, or when the employee taps "Försök igen".
 */
import { computed, signal } from '@preact/signals';

import { ApiError, newId } from '../../api';
import { migrateOldUploads } from '../../offline/migrate';
import {
  discardItem,
  enqueue,
  flush,
  onSent,
  online,
  outbox,
  progress,
  refreshOutbox,
  retryItem,
  updateItem,
  type OutboxItem,
} from '../../offline/outbox';
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

/** Photos taken this moment, shown before the outbox has stored them. */
const starting = signal<Record<string, PendingUpload>>({});

function toUpload(item: OutboxItem, sent: Record<string, number>, connected: boolean): PendingUpload {
  const error = item.problem ? new ApiError(item.problem) : null;
  const status: UploadStatus =
    item.state === 'conflict'
      ? 'failed'
      : item.state === 'sending' || (item.attempts === 0 && connected)
        ? 'uploading'
        : 'waiting';
  return {
    id: item.id,
    name: item.fileName ?? '',
    size: item.file?.size ?? 0,
    file: item.file ?? new Blob(),
    status,
    progress: status === 'uploading' ? (sent[item.id] ?? 0) : 0,
    error: status === 'uploading' ? null : error,
    createdAt: item.createdAt,
  };
}

/** Every receipt of this account not yet received by the server, by expense id. */
export const uploads = computed<Record<string, PendingUpload>>(() => {
  const result: Record<string, PendingUpload> = { ...starting.value };
  const sent = progress.value;
  const connected = online.value;
  for (const item of outbox.value) {
    if (item.kind === 'receipt') result[item.id] = toUpload(item, sent, connected);
  }
  return result;
});

/** Called with the server's receipt when an upload has arrived. */
export function onArrived(listener: (receipt: ReceiptView) => void): () => void {
  return onSent((item, data) => {
    if (item.kind === 'receipt' && data) listener(data as ReceiptView);
  });
}

function stored(id: string): void {
  const { [id]: _kept, ...rest } = starting.value;
  starting.value = rest;
}

/** Start sending a photo or scan; returns the id of the expense it will open. */
export function startUpload(file: File): string {
  const id = newId();
  starting.value = {
    ...starting.value,
    [id]: {
      id,
      name: file.name,
      size: file.size,
      file,
      status: online.value ? 'uploading' : 'waiting',
      progress: 0,
      error: null,
      createdAt: Date.now(),
    },
  };
  // Stored on the device before the first byte is sent, so a closed app or a lost connection loses nothing.
  void enqueue({
    id,
    kind: 'receipt',
    method: 'POST',
    path: '/api/receipts',
    file,
    fileName: file.name,
    fields: { expense_id: id },
    summary: { title: file.name, href: `/expenses/${id}` },
  }).finally(() => stored(id));
  return id;
}

export function retryUpload(id: string): void {
  void retryItem(id);
}

/** A refused file replaced by another one, for the same expense (nothing was created for the first). */
export function replaceFile(id: string, file: File): void {
  void updateItem(id, { file, fileName: file.name });
}

/** The photo is given up, and the expense saved for it on the phone with it. */
export function discardUpload(id: string): void {
  stored(id);
  void discardItem(id);
}

/** Show what this account left on the device and send what is due. Called when the expense screens open. */
export async function resumeUploads(): Promise<void> {
  await migrateOldUploads();
  await refreshOutbox();
  void flush();
}
