/**
 * The last answers of the screens people open on the go (start page, payslip, attest inbox,
 * recent expenses, the week, ...), kept on the device per signed-in account so those screens
 * open without a network. `api.ts` asks here when a GET gets no answer at all, and the shell
 * then says "offline, showing data from <time>" (see OfflineNotice). Signing out forgets it all.
 */
import { signal } from '@preact/signals';

import type { User } from '../api';
import { CACHE, inStore } from './idb';

/** The GETs worth keeping: what the screens behind the menu show first. */
const KEPT: RegExp[] = [
  /^\/api\/me$/,
  /^\/api\/organisation$/,
  /^\/api\/payslips(\/preliminary)?(\?|$)/,
  /^\/api\/attest\/(inbox|items\/[0-9a-f-]+)(\?|$)/,
  /^\/api\/expenses(\/[0-9a-f-]+)?(\?|$)/,
  /^\/api\/expense-claims(\/[0-9a-f-]+)?(\?|$)/,
  /^\/api\/time\/(weeks|codes)(\/[^?]+)?(\?|$)/,
  /^\/api\/(projects|cost-centres)$/,
  /^\/api\/travel-claims(\/[0-9a-f-]+)?(\?|$)/,
  /^\/api\/leave\/(requests|balance)(\/[0-9a-f-]+)?(\?|$)/,
  /^\/api\/notifications(\?|$)/,
];
/** At most this many answers per account (the oldest go first). */
const MAX_ENTRIES = 150;
const USER_KEY = 'selfservice.offline.user';

interface CachedAnswer {
  key: string;
  accountId: string;
  path: string;
  data: unknown;
  savedAt: number;
}

/** Answers shown from the device instead of the server, by API path: when each was saved and on which screen. */
export const staleAnswers = signal<Record<string, { savedAt: number; page: string }>>({});

let currentAccount: () => string | null = () => null;

/** Tells the cache whose answers these are (wired by the session). */
export function configureOfflineCache(account: () => string | null): void {
  currentAccount = account;
}

export function isKept(path: string): boolean {
  return KEPT.some((pattern) => pattern.test(path));
}

let writes = 0;

/** A fresh answer from the server: keep it, and stop saying that this one is old. */
export function saveAnswer(path: string, data: unknown): void {
  const accountId = currentAccount();
  if (staleAnswers.peek()[path]) {
    const { [path]: _fresh, ...rest } = staleAnswers.peek();
    staleAnswers.value = rest;
  }
  if (!accountId || !isKept(path)) return;
  const entry: CachedAnswer = { key: `${accountId} ${path}`, accountId, path, data, savedAt: Date.now() };
  void inStore(CACHE, 'readwrite', (store) => store.put(entry)).then(() => {
    writes += 1;
    if (writes % 25 === 0) void prune(accountId);
  });
}

async function prune(accountId: string): Promise<void> {
  const all = ((await inStore<CachedAnswer[]>(CACHE, 'readonly', (store) => store.getAll())) ?? []).filter(
    (entry) => entry.accountId === accountId,
  );
  if (all.length <= MAX_ENTRIES) return;
  all.sort((a, b) => b.savedAt - a.savedAt);
  for (const entry of all.slice(MAX_ENTRIES)) await inStore(CACHE, 'readwrite', (store) => store.delete(entry.key));
}

/** No answer from the server: the last one kept on this device for this account, if any. */
export async function readAnswer(path: string): Promise<{ data: unknown; savedAt: number } | null> {
  const accountId = currentAccount();
  if (!accountId || !isKept(path)) return null;
  const entry = await inStore<CachedAnswer | undefined>(CACHE, 'readonly', (store) => store.get(`${accountId} ${path}`));
  if (!entry) return null;
  staleAnswers.value = { ...staleAnswers.peek(), [path]: { savedAt: entry.savedAt, page: location.pathname } };
  return { data: entry.data, savedAt: entry.savedAt };
}

/** Signing out: nothing of this account's data stays on the device (its outbox is kept apart). */
export async function clearOfflineData(): Promise<void> {
  staleAnswers.value = {};
  forgetUser();
  await inStore(CACHE, 'readwrite', (store) => store.clear());
}

/** Who was signed in last, so the app can open without a network. */
export function rememberUser(account: User): void {
  try {
    localStorage.setItem(USER_KEY, JSON.stringify(account));
  } catch {
    // storage blocked: the app needs a network to start
  }
}

export function rememberedUser(): User | null {
  try {
    const text = localStorage.getItem(USER_KEY);
    const parsed = text ? (JSON.parse(text) as User) : null;
    return parsed && typeof parsed.id === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function forgetUser(): void {
  try {
    localStorage.removeItem(USER_KEY);
  } catch {
    // nothing kept
  }
}
