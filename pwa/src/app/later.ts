/**
 * Start-up work the first screen does not need (the service worker and its precache download,
 * the outbox on the device, receipts left to upload) waits until that screen has had its turn:
 * the session check is answered and the page has had a moment to fetch and show its own data.
 * Each job then runs in an idle callback of its own, so none of them lengthens a task the
 * page needs or competes with its requests on a slow connection.
 */
import { effect } from '@preact/signals';

import { status } from '../session';

/** How long after the session check the first page keeps the device to itself. */
const SETTLE_MS = 1000;

let settled: Promise<void> | null = null;

function afterStart(): Promise<void> {
  settled ??= new Promise<void>((resolve) => {
    let seen = false;
    const stop = effect(() => {
      if (seen || status.value === 'checking') return;
      seen = true;
      setTimeout(() => {
        stop();
        resolve();
      }, SETTLE_MS);
    });
  });
  return settled;
}

function whenIdle(job: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => job(), { timeout: 2000 });
  else setTimeout(job, 0);
}

/** Run `job` once the first screen has settled (at once, give or take an idle moment, after that). */
export function later(job: () => void): void {
  void afterStart().then(() => whenIdle(job));
}
