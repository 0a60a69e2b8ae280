/** Working offline: wired once at start (main.tsx). */
import { effect } from '@preact/signals';

import { configureApi } from '../api';
import { status, user } from '../session';
import { configureOfflineCache, readAnswer, saveAnswer } from './cache';
import { migrateOldUploads } from './migrate';
import { resumeOutbox, startOutbox } from './outbox';

export function installOffline(): void {
  configureOfflineCache(() => user.peek()?.id ?? null);
  configureApi({ readOffline: readAnswer, saveOffline: saveAnswer });
  startOutbox();
  // What this account left waiting on the device goes as soon as someone is signed in as it.
  let lastAccount: string | null = null;
  effect(() => {
    const account = status.value === 'signed-in' ? (user.value?.id ?? null) : null;
    if (account === lastAccount) return;
    lastAccount = account;
    // Receipts and decisions left on the phone (closed app, no connection) are shown and sent; in a
    // task of its own, not in the one that renders the first signed-in page.
    if (account) setTimeout(() => void migrateOldUploads().then(resumeOutbox), 0);
  });
}
