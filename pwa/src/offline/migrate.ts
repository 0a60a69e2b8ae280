/**
 * Receipts kept by the app's earlier version (IndexedDB `selfservice-uploads`, one record per
 * photo with its expense id and account) move into the outbox, so an update never loses one.
 * Each keeps its expense id, so one that had reached the server is not created twice.
 */
import { saveItem, getItem, type OutboxItem } from './outbox-core';

const OLD_DB = 'selfservice-uploads';
const OLD_STORE = 'receipts';

interface OldUpload {
  id: string;
  accountId: string;
  name: string;
  file: Blob;
  createdAt: number;
}

let done: Promise<void> | null = null;

export function migrateOldUploads(): Promise<void> {
  done ??= migrate().catch(() => undefined);
  return done;
}

async function hasOldDatabase(): Promise<boolean> {
  try {
    if (typeof indexedDB.databases !== 'function') return true;
    return (await indexedDB.databases()).some((db) => db.name === OLD_DB);
  } catch {
    return false;
  }
}

async function migrate(): Promise<void> {
  if (!(await hasOldDatabase())) return;
  const db = await new Promise<IDBDatabase | null>((resolve) => {
    const request = indexedDB.open(OLD_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(OLD_STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
  });
  if (!db) return;
  const old = await new Promise<OldUpload[] | null>((resolve) => {
    const request = db.transaction(OLD_STORE, 'readonly').objectStore(OLD_STORE).getAll();
    request.onsuccess = () => resolve(request.result as OldUpload[]);
    request.onerror = () => resolve(null);
  });
  if (old === null) {
    db.close();
    return;
  }
  let all = true;
  for (const upload of old) {
    if (await getItem(upload.id)) continue;
    const item: OutboxItem = {
      id: upload.id,
      accountId: upload.accountId,
      kind: 'receipt',
      method: 'POST',
      path: '/api/receipts',
      file: upload.file,
      fileName: upload.name,
      fields: { expense_id: upload.id },
      summary: { title: upload.name, href: `/expenses/${upload.id}` },
      lang: document.documentElement.lang || 'sv',
      createdAt: upload.createdAt,
      revision: 0,
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      problem: null,
    };
    if (!(await saveItem(item))) all = false;
  }
  db.close();
  // Only when every photo is safely in the outbox does the old copy go.
  if (all) indexedDB.deleteDatabase(OLD_DB);
}
