/**
 * The app's own IndexedDB database for working offline, shared by the app and the service
 * worker (so no DOM here): the outbox (requests waiting to be sent, receipt photos as Blobs)
 * and the last answers of the screens that open without a network.
 */

export const DB_NAME = 'selfservice-offline';
export const OUTBOX = 'outbox';
export const CACHE = 'cache';

let database: Promise<IDBDatabase | null> | null = null;

export function openDb(): Promise<IDBDatabase | null> {
  database ??= new Promise<IDBDatabase | null>((resolve) => {
    try {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains(OUTBOX)) db.createObjectStore(OUTBOX, { keyPath: 'id' });
        if (!db.objectStoreNames.contains(CACHE)) db.createObjectStore(CACHE, { keyPath: 'key' });
      };
      request.onsuccess = () => {
        const db = request.result;
        // Another tab or a new service worker needs a newer version: let it have the database.
        db.onversionchange = () => {
          db.close();
          database = null;
        };
        resolve(db);
      };
      request.onerror = () => resolve(null);
      request.onblocked = () => resolve(null);
    } catch {
      resolve(null); // no IndexedDB (private mode, policies): the app still works while online
    }
  }).then((db) => {
    if (!db) database = null;
    return db;
  });
  return database;
}

/** One request against one store; resolves with null when the device has no usable database. */
export async function inStore<T>(
  store: string,
  mode: IDBTransactionMode,
  act: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T | null> {
  const db = await openDb();
  if (!db) return null;
  return new Promise<T | null>((resolve) => {
    try {
      const transaction = db.transaction(store, mode);
      const request = act(transaction.objectStore(store));
      let result: T | null = null;
      request.onsuccess = () => {
        result = request.result;
      };
      // Resolved when the transaction is committed, so a write is on disk before anyone goes on.
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => resolve(null);
      transaction.onabort = () => resolve(null);
    } catch {
      resolve(null);
    }
  });
}
