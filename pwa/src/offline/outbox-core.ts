/**
 * The outbox: what was done on the phone without a connection (receipt photos, expenses,
 * time weeks, attest decisions), kept in IndexedDB until the server has it, sent in order,
 * each exactly once. Shared by the app and the service worker (Background Sync), so there
 * is no DOM here: how a request is actually sent is the caller's `Transport`.
 *
 * Exactly once:
 * - every item carries what makes the server act once however often it arrives: the client's
 *   own id in the path (`PUT /api/expenses/{id}`, `PUT /api/time/weeks/{week}`), the expense id
 *   in a receipt upload (`expense_id`), or an `Idempotency-Key` chosen when the item was made
 *   (`POST /api/attest/decisions`, submissions); a replay after a lost answer gets the first answer;
 * - one sender at a time on the device (a Web Lock named `selfservice-outbox`, taken by the app's
 *   tabs and the service worker alike), items in the order they were made, an item that depends
 *   on another (an expense on its receipt) only after that one is through;
 * - an item leaves the device only after the server's 2xx answer, in one IndexedDB transaction.
 */
import type { components } from '../api-schema';
import { inStore, OUTBOX } from './idb';

type ProblemDetails = components['schemas']['ProblemDetails'];

export type OutboxKind = 'receipt' | 'expense' | 'week' | 'week-submit' | 'decision';
/**
 * waiting: to be sent (again); sending: on its way; conflict: the server refused it, the user
 * decides; done: received (kept a day without its content, so an item made later that waits
 * for it can still learn the id of its answer).
 */
export type OutboxState = 'waiting' | 'sending' | 'conflict' | 'done';

/** The server's problem details, as kept with an item it refused (a batch's refused decisions: title, status and code). */
export type StoredProblem = Pick<ProblemDetails, 'title' | 'status' | 'code'> &
  Partial<Pick<ProblemDetails, 'detail' | 'errors' | 'request_id'>>;

/** What the list of waiting items shows: plain values captured when the item was made. */
export interface OutboxSummary {
  /** e.g. the merchant, "2026-W48", "Anna Andersson: Parkering" */
  title?: string;
  /** e.g. an amount as a decimal string */
  amount?: string;
  /** approve / return, for decisions */
  action?: string;
  /** Where the thing lives in the app, for "open". */
  href?: string;
}

export interface OutboxItem {
  id: string;
  /** The signed-in account that made it: only that account's session ever sends it. */
  accountId: string;
  kind: OutboxKind;
  method: 'PUT' | 'POST';
  path: string;
  /** A JSON body ... */
  body?: unknown;
  /** ... or a multipart one: the file itself (the photo as a Blob) and plain fields. */
  file?: Blob;
  fileName?: string;
  fields?: Record<string, string>;
  idempotencyKey?: string;
  /** Send only after this item has been sent (an expense after its receipt). */
  after?: string;
  /** When `after` has been sent: put the `id` of its answer into this field of the body (`receipt_id`). */
  fill?: string;
  summary: OutboxSummary;
  /** The language the server should answer in (its messages are shown to the user). */
  lang: string;
  createdAt: number;
  /** Bumped when the item is changed (saved again while waiting): an answer to an older revision does not remove it. */
  revision: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  problem: StoredProblem | null;
  /** Once done: the `id` in the server's answer (a receipt's id), and when. */
  answerId?: string | null;
  doneAt?: number;
}

/** The server's answer as a transport reports it: status 0 = no answer at all. */
export interface Answer {
  status: number;
  data: unknown;
  problem: StoredProblem | null;
}

export type Transport = (item: OutboxItem) => Promise<Answer>;

export const LOCK_NAME = 'selfservice-outbox';
export const SYNC_TAG = 'selfservice-outbox';
/** What the service worker tells open windows after it sent something. */
export const OUTBOX_CHANGED = 'outbox-changed';

// --- the store ------------------------------------------------------------------------------

export async function allItems(): Promise<OutboxItem[]> {
  const items = (await inStore<OutboxItem[]>(OUTBOX, 'readonly', (store) => store.getAll())) ?? [];
  return items.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** The account's items still to be sent or decided on (not those done). */
export async function itemsOf(accountId: string): Promise<OutboxItem[]> {
  return (await allItems()).filter((item) => item.accountId === accountId && item.state !== 'done');
}

const KEEP_DONE_MS = 24 * 60 * 60_000;

export async function getItem(id: string): Promise<OutboxItem | null> {
  return (await inStore<OutboxItem | undefined>(OUTBOX, 'readonly', (store) => store.get(id))) ?? null;
}

/** Saved for good (the transaction committed) before this resolves; false when the device could not keep it. */
export async function saveItem(item: OutboxItem): Promise<boolean> {
  return (await inStore(OUTBOX, 'readwrite', (store) => store.put(item))) !== null;
}

export async function deleteItem(id: string): Promise<void> {
  await inStore(OUTBOX, 'readwrite', (store) => store.delete(id));
}

// --- judging answers ------------------------------------------------------------------------

/** No answer, no session, too busy, or the same request still being handled: send it again later. */
export function isTransient(answer: Answer): boolean {
  const { status } = answer;
  if (status === 0 || status === 401 || status === 408 || status === 425 || status === 429 || status >= 500) return true;
  if (status === 403 && answer.problem?.code === 'csrf_failed') return true;
  return status === 409 && answer.problem?.code === 'request_in_progress';
}

type DecisionOutcome = components['schemas']['DecisionOutcome'];

/**
 * A decision batch answers 200 with an outcome per item: a refused one is a conflict too. The
 * item keeps only the refused decisions (the others are done), so "Försök igen" repeats only those.
 */
function refusedDecision(item: OutboxItem, answer: Answer): { problem: StoredProblem; body: unknown } | null {
  if (item.kind !== 'decision') return null;
  const outcomes = (answer.data as { outcomes?: DecisionOutcome[] } | null)?.outcomes ?? [];
  const failed = outcomes.filter((outcome) => !outcome.ok);
  const first = failed[0];
  if (!first) return null;
  const refusedIds = new Set(failed.map((outcome) => outcome.item_id));
  const decisions = ((item.body as { decisions?: Array<{ item_id: string }> } | undefined)?.decisions ?? []).filter(
    (decision) => refusedIds.has(decision.item_id),
  );
  return {
    problem: {
      title: [...new Set(failed.map((outcome) => outcome.message))].join(' '),
      status: first.status,
      code: first.code,
    },
    body: { decisions },
  };
}

/**
 * How soon an item goes again after failed attempt n: min(capSeconds, baseSeconds · factor^(n−1)), no
 * jitter and no last attempt (an item waits until it is sent or a person discards it). The server's
 * retry policies have this shape: WEB_OUTBOX in notifications/retry.py is this one, and
 * tests/unit/pwa/test_outbox_retry.py fails when the two differ.
 */
export const OUTBOX_RETRY = { baseSeconds: 5, factor: 2, capSeconds: 300 } as const;

/** Milliseconds to wait after failed attempt number `attempts`. */
export function backoff(attempts: number): number {
  const { baseSeconds, factor, capSeconds } = OUTBOX_RETRY;
  return 1000 * Math.min(capSeconds, baseSeconds * factor ** Math.max(0, attempts - 1));
}

// --- sending --------------------------------------------------------------------------------

export interface RunOptions {
  accountId: string;
  transport: Transport;
  /** Ignore the back-off pause (the user tapped "Försök igen", the network just came back). */
  now?: boolean;
  /** After every change of the store. */
  onChange?: () => void;
  /** After an item was received by the server, with its answer. */
  onSent?: (item: OutboxItem, data: unknown) => void;
}

export interface RunResult {
  sent: number;
  /** Items still waiting to be sent (not counting conflicts). */
  waiting: number;
  /** The run stopped because there was no answer or no session. */
  stopped: boolean;
}

let runningHere = false;

/** Send what is due, one sender per device at a time (see the module comment). */
export async function runOutbox(options: RunOptions): Promise<RunResult> {
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (locks) {
    // Another tab or the service worker is sending: it will see our items too.
    const result = await locks.request(LOCK_NAME, { ifAvailable: true }, async (lock: Lock | null) =>
      lock ? runLocked(options) : null,
    );
    return result ?? { sent: 0, waiting: -1, stopped: false };
  }
  if (runningHere) return { sent: 0, waiting: -1, stopped: false };
  runningHere = true;
  try {
    return await runLocked(options);
  } finally {
    runningHere = false;
  }
}

async function runLocked({ accountId, transport, now: force, onChange, onSent }: RunOptions): Promise<RunResult> {
  let sent = 0;
  let stopped = false;
  for (const item of await allItems()) {
    if (item.state === 'done' && (item.doneAt ?? 0) < Date.now() - KEEP_DONE_MS) await deleteItem(item.id);
  }
  const items = await itemsOf(accountId);
  // Whoever held the lock before us is gone: an item left "sending" goes again (the server acts once).
  for (const item of items) {
    if (item.state === 'sending') {
      item.state = 'waiting';
      await saveItem(item);
    }
  }
  for (const queued of items) {
    const item = await getItem(queued.id);
    if (!item || item.accountId !== accountId || item.state !== 'waiting') continue;
    if (item.after) {
      const first = await getItem(item.after);
      if (first && first.state !== 'done') continue; // not through yet
      if (first && item.fill && typeof first.answerId === 'string' && item.body && typeof item.body === 'object') {
        item.body = { ...(item.body as Record<string, unknown>), [item.fill]: first.answerId };
      }
      delete item.after;
      delete item.fill;
    }
    if (!force && item.nextAttemptAt > Date.now()) continue;

    item.state = 'sending';
    await saveItem(item);
    onChange?.();
    let answer: Answer;
    try {
      answer = await transport(item);
    } catch {
      answer = { status: 0, data: null, problem: null };
    }
    const current = await getItem(item.id);
    if (!current) {
      // Discarded while it was on its way; nothing more to do here.
      onChange?.();
      continue;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    const refused = ok ? refusedDecision(item, answer) : null;
    if (ok && !refused) {
      if (current.revision !== item.revision) {
        // Saved again while this one was on its way: the newer version still has to go.
        current.state = 'waiting';
        current.nextAttemptAt = 0;
        await saveItem(current);
      } else {
        const answerId = (answer.data as { id?: unknown } | null)?.id;
        const done: OutboxItem = {
          ...item,
          state: 'done',
          answerId: typeof answerId === 'string' ? answerId : null,
          doneAt: Date.now(),
          problem: null,
        };
        delete done.file; // the photo is on the server now: it leaves the phone
        delete done.body;
        await saveItem(done);
        sent += 1;
        onSent?.(item, answer.data);
      }
    } else if (!refused && isTransient(answer)) {
      current.state = 'waiting';
      current.attempts += 1;
      current.nextAttemptAt = Date.now() + backoff(current.attempts);
      current.problem = answer.problem;
      await saveItem(current);
      if (answer.status === 0 || answer.status === 401) {
        stopped = true; // no network or no session: the rest would fail the same way
        onChange?.();
        break;
      }
    } else {
      // The server refused it (changed meanwhile, invalid, gone): the user decides, it is never dropped.
      current.state = 'conflict';
      current.attempts += 1;
      current.problem = refused?.problem ??
        answer.problem ?? { title: `HTTP ${answer.status}`, status: answer.status, code: `http_${answer.status}` };
      if (refused) current.body = refused.body;
      await saveItem(current);
    }
    onChange?.();
  }
  const waiting = (await itemsOf(accountId)).filter((item) => item.state !== 'conflict').length;
  return { sent, waiting, stopped };
}
