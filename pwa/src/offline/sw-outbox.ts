/**
 * Background Sync: the service worker sends the outbox when the connection is back, even if
 * the app was closed meanwhile. Only the items of the account whose session cookie this
 * browser holds are sent (asked from `/api/me`); the app's windows are told what arrived.
 * No DOM here: this runs in the service worker (and is type-checked with the app too).
 */
import { runOutbox, type Answer, type OutboxItem, type StoredProblem } from './outbox-core';

export interface WorkerHooks {
  /** The CSRF cookie's value (cookieStore in the service worker), or null. */
  csrfToken: () => Promise<string | null>;
  /** Tell the app's open windows (refresh the list; what arrived). */
  tellWindows: (message: unknown) => Promise<void>;
}

async function problemOf(response: Response): Promise<StoredProblem> {
  try {
    const data = (await response.json()) as Partial<StoredProblem>;
    if (typeof data.title === 'string') {
      return { ...data, title: data.title, status: data.status ?? response.status, code: data.code ?? 'error' };
    }
  } catch {
    // not problem details
  }
  return { title: `HTTP ${response.status}`, status: response.status, code: `http_${response.status}` };
}

function transportWith(hooks: WorkerHooks): (item: OutboxItem) => Promise<Answer> {
  return async (item) => {
    const headers = new Headers({ Accept: 'application/json, application/problem+json', 'Accept-Language': item.lang });
    const token = await hooks.csrfToken();
    if (token) headers.set('X-CSRF-Token', token);
    if (item.idempotencyKey) headers.set('Idempotency-Key', item.idempotencyKey);
    let body: BodyInit | undefined;
    if (item.file) {
      const form = new FormData();
      for (const [key, value] of Object.entries(item.fields ?? {})) form.append(key, value);
      form.append('file', item.file, item.fileName || 'receipt');
      body = form;
    } else if (item.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(item.body);
    }
    let response: Response;
    try {
      response = await fetch(item.path, { method: item.method, headers, credentials: 'same-origin', ...(body ? { body } : {}) });
    } catch {
      return { status: 0, data: null, problem: null };
    }
    if (!response.ok) return { status: response.status, data: null, problem: await problemOf(response) };
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, data: type.includes('json') ? await response.json() : null, problem: null };
  };
}

/** The sync event's work. Rejects while items still wait, so the browser tries again later. */
export async function syncOutbox(hooks: WorkerHooks): Promise<void> {
  let me: Response;
  try {
    me = await fetch('/api/me', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  } catch {
    throw new Error('offline'); // the browser retries the sync later
  }
  if (!me.ok) return; // signed out: the app sends it after the next sign-in
  const { id: accountId } = (await me.json()) as { id: string };
  const sent: Array<{ item: OutboxItem; data: unknown }> = [];
  const result = await runOutbox({
    accountId,
    transport: transportWith(hooks),
    now: true,
    onSent: (item, data) => {
      const { file: _file, ...light } = item;
      sent.push({ item: light as OutboxItem, data });
    },
  });
  await hooks.tellWindows({ type: 'outbox-changed', sent });
  if (result.stopped) throw new Error('outbox not sent yet');
}
