/**
 * Who is signed in, and keeping that session alive while the app is in use.
 *
 * The session cookie is HttpOnly, so the app only learns when it ends from `expires_at`
 * in the answers to login, the start-up check and refresh. It renews the session
 * (`POST /api/auth/refresh`) within the last five minutes, but only if the user did something
 * since the last renewal: an app left open on a desk signs itself out like the server intends.
 */
import { signal } from '@preact/signals';

import {
  ApiError,
  configureApi,
  request,
  requestWithInfo,
  type ResponseInfo,
  type Schema,
  type SessionResponse,
  type User,
} from './api';
import { isLocale, locale, setLocale, storedLocale, type Locale } from './i18n';
import { clearOfflineData, rememberedUser, rememberUser } from './offline/cache';

export type SessionStatus = 'checking' | 'signed-in' | 'signed-out';
/** `POST /api/auth/session`: the start-up check (signed in: with the user and the renewed session's end). */
type SessionCheck = Schema<'SessionState'>;
/** Why the login screen is shown: decides the message there and whether to come back afterwards. */
export type SignOutReason = 'logout' | 'expired' | null;

export const RENEW_WITHIN_MS = 5 * 60_000;

export const status = signal<SessionStatus>('checking');
export const user = signal<User | null>(null);
export const signOutReason = signal<SignOutReason>(null);
/** A problem met while finding out whether someone is signed in (e.g. offline at start). */
export const startupProblem = signal<ApiError | null>(null);
/** Started without a network as the account last signed in here: showing what the device kept. */
export const offlineSession = signal(false);

/** When the session ends, on this device's clock. */
let expiresAt = 0;
let lastRenewal = 0;
let lastActivity = 0;
let renewal: Promise<void> | null = null;
let renewTimer: ReturnType<typeof setTimeout> | undefined;
let expiryTimer: ReturnType<typeof setTimeout> | undefined;

function clearTimers(): void {
  clearTimeout(renewTimer);
  clearTimeout(expiryTimer);
}

function adopt(session: Pick<SessionResponse, 'expires_at' | 'user'>, info: ResponseInfo): void {
  const now = Date.now();
  // The lifetime as the server counts it, moved onto this device's clock (phones' clocks
  // can be minutes off). The Date header has whole seconds: one second of margin.
  const serverNow = info.serverDate ?? now;
  expiresAt = now + (Date.parse(session.expires_at) - serverNow) - 1000;
  lastRenewal = now;
  offlineSession.value = false;
  user.value = session.user;
  rememberUser(session.user);
  status.value = 'signed-in';
  signOutReason.value = null;
  startupProblem.value = null;
  schedule();
}

function schedule(): void {
  clearTimers();
  const now = Date.now();
  renewTimer = setTimeout(() => {
    if (lastActivity > lastRenewal) void renew();
  }, Math.max(0, expiresAt - RENEW_WITHIN_MS - now));
  expiryTimer = setTimeout(() => {
    if (Date.now() >= expiresAt) end('expired');
  }, Math.max(0, expiresAt - now));
}

function end(reason: SignOutReason): void {
  clearTimers();
  expiresAt = 0;
  offlineSession.value = false;
  user.value = null;
  signOutReason.value = reason;
  status.value = 'signed-out';
}

function dueForRenewal(): boolean {
  return status.value === 'signed-in' && Date.now() >= expiresAt - RENEW_WITHIN_MS;
}

/** Renew the session now; several callers at once share one request. */
export function renew(): Promise<void> {
  renewal ??= requestWithInfo<SessionResponse>('POST', '/api/auth/refresh', {
    allowUnauthorized: true,
    skipRenewal: true,
  })
    // A renewal that answers after the session ended (it expired meanwhile, or the user signed out)
    // must not sign the user in again.
    .then(({ data, info }) => {
      if (status.value !== 'signed-out') adopt(data, info);
    })
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 401) end('expired');
      // anything else (offline, a server hiccup): keep going, the next activity tries again
    })
    .finally(() => {
      renewal = null;
    });
  return renewal;
}

function onActivity(): void {
  lastActivity = Date.now();
  if (status.value !== 'signed-in') return;
  if (Date.now() >= expiresAt) end('expired');
  else if (dueForRenewal()) void renew();
}

configureApi({
  beforeRequest: async () => {
    if (dueForRenewal()) await renew();
  },
  onUnauthorized: () => {
    if (status.value === 'signed-in') end('expired');
  },
});

/** Find out whether this browser is signed in, and renew the session if it is. Called once at start. */
export async function startSession(): Promise<void> {
  for (const type of ['pointerdown', 'keydown'] as const) {
    addEventListener(type, onActivity, { capture: true, passive: true });
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') onActivity();
  });
  try {
    // One request: signed out is an answer (not a 401), and a signed-in session comes back
    // renewed, with a new CSRF cookie should the browser have dropped it (it ends with the
    // browser session, the session cookie may not).
    const { data, info } = await requestWithInfo<SessionCheck>('POST', '/api/auth/session', {
      allowUnauthorized: true,
      skipRenewal: true,
    });
    const { user: account, expires_at: expires } = data;
    if (!data.signed_in || !account || !expires) {
      end(null);
      return;
    }
    adopt({ user: account, expires_at: expires }, info);
    await syncLocale(account);
  } catch (error) {
    // No network at all: open as the account last signed in on this device, with what it kept;
    // the server decides about the session as soon as it can be reached.
    const remembered = error instanceof ApiError && error.status === 0 ? rememberedUser() : null;
    if (remembered) {
      startOffline(remembered);
      return;
    }
    if (error instanceof ApiError && error.status !== 401) startupProblem.value = error;
    end(null);
  }
}

function startOffline(account: User): void {
  clearTimers();
  expiresAt = Number.MAX_SAFE_INTEGER; // not ours to end while the server cannot be asked
  offlineSession.value = true;
  user.value = account;
  status.value = 'signed-in';
  const tryServer = () => {
    if (!offlineSession.value) return;
    void renew().then(() => {
      if (offlineSession.value) renewTimer = setTimeout(tryServer, 30_000);
    });
  };
  addEventListener('online', tryServer, { once: true });
  renewTimer = setTimeout(tryServer, 30_000);
}

export async function login(email: string, password: string): Promise<void> {
  const { data, info } = await requestWithInfo<SessionResponse>('POST', '/api/auth/login', {
    body: { email, password },
    allowUnauthorized: true,
    skipRenewal: true,
  });
  adopt(data, info);
  await syncLocale(data.user);
}

/**
 * Single sign-on: the server names the organisation's OpenID Provider for this address (or
 * answers 422 on `email`), and the browser goes there; the provider sends it back signed in.
 */
export async function startSingleSignOn(email: string, next: string | undefined): Promise<void> {
  const { authorization_url } = await request<Schema<'SingleSignOnStarted'>>('POST', '/api/auth/sso/start', {
    body: next ? { email, next } : { email },
    allowUnauthorized: true,
    skipRenewal: true,
  });
  window.location.assign(authorization_url);
  // The page is leaving: stay busy until it has.
  await new Promise(() => undefined);
}

export async function logout(): Promise<void> {
  try {
    await request<void>('POST', '/api/auth/logout', { allowUnauthorized: true, skipRenewal: true });
  } catch {
    // offline or already signed out: the app forgets the session either way
  }
  await clearOfflineData();
  end('logout');
}

/**
 * After sign-in: a language chosen on this device wins (the user just picked it, maybe on
 * the login screen) and is saved on the account; otherwise the account's language is used.
 */
async function syncLocale(account: User): Promise<void> {
  const chosen = storedLocale();
  if (chosen && chosen !== account.locale) await saveLocale(chosen);
  else if (!chosen && isLocale(account.locale)) await setLocale(account.locale).catch(() => undefined);
}

async function saveLocale(next: Locale): Promise<void> {
  try {
    user.value = await request<User>('PATCH', '/api/me', { body: { locale: next } });
  } catch {
    // kept on this device; the account keeps its old language until the next try
  }
}

/** The language switch: this device remembers it, and so does the account when signed in. */
export async function chooseLocale(next: Locale): Promise<void> {
  if (next === locale.value && storedLocale() === next) return;
  try {
    await setLocale(next);
  } catch {
    return; // its texts could not be downloaded (offline before they were ever cached): stay as it is
  }
  if (status.value === 'signed-in') await saveLocale(next);
}
