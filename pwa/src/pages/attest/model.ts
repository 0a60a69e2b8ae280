/**
 * Attest as the API shows it (backend/attest/schemas.py), and the little state the attest
 * screens share: the inbox's order (so a decision can go straight on to the next item) and
 * a message for the next screen.
 */
import { signal } from '@preact/signals';

import type { Schema } from '../../api';
import type { HistoryEntry, PersonRef } from '../../attest-types';

export type { HistoryEntry, PersonRef };

export type Kind = Schema<'InboxItem'>['kind'];
export const KINDS = ['expense_claim', 'travel_claim', 'time_week', 'leave_request'] as const satisfies readonly Kind[];
export const SORTS = ['oldest', 'newest', 'amount', 'employee'] as const;
export type Sort = (typeof SORTS)[number];
export const DECISIONS = ['approved', 'returned', 'locked'] as const;
export type DecisionFilter = (typeof DECISIONS)[number];

export type ItemWarning = Schema<'ItemWarning'>;
/** Attest by `date` and the item reaches the pay of `pay_period`, paid on `pay_date`. */
export type CutOff = Schema<'CutOff'>;
export type InboxItem = Schema<'InboxItem'>;
export type Inbox = Schema<'Inbox'>;
export type DecisionOutcome = Schema<'DecisionOutcome'>;

/** `POST /api/attest/decisions`: the API does not describe this answer (the handler returns a plain dict). */
export interface BulkOutcome {
  approved: number;
  returned: number;
  failed: number;
  outcomes: DecisionOutcome[];
}

/** `detail`: the item as its own area shows it (an expense claim, a time week, a travel claim, a leave request: see details.tsx), null when there is none. */
export type ItemView = Schema<'ItemView'>;
export type ArchiveItem = Schema<'ArchiveItem'>;
export type LeadTime = Schema<'LeadTimeView'>;
export type ManagerLeadTime = Schema<'ManagerLeadTime'>;
export type Insight = Schema<'Insight'>;
export type Delegation = Schema<'DelegationView'>;
export type EmployeeSummary = Schema<'EmployeeSummary'>;

export function isKind(value: unknown): value is Kind {
  return typeof value === 'string' && (KINDS as readonly string[]).includes(value);
}

export function isSort(value: unknown): value is Sort {
  return typeof value === 'string' && (SORTS as readonly string[]).includes(value);
}

export function isDecision(value: unknown): value is DecisionFilter {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

/** The inbox as last shown, in its order: after a decision the item page goes on to the next one. */
export const queue = signal<InboxItem[]>([]);
/** The cut-off the inbox last stated (the item view does not carry one). */
export const lastCutoff = signal<CutOff | null>(null);

/** A message for the next screen ("Attesterad: ..."), shown once. */
export const attestFlash = signal<string | null>(null);

/** The item after `id` in the inbox's order (or the first other one before it), skipping the ones decided here. */
export function nextInQueue(id: string, decided: ReadonlySet<string>): InboxItem | null {
  const items = queue.value.filter((item) => item.id === id || !decided.has(item.id));
  const at = items.findIndex((item) => item.id === id);
  const rest = at < 0 ? items : [...items.slice(at + 1), ...items.slice(0, at)];
  return rest.find((item) => item.id !== id) ?? null;
}

/** Items decided on the item page during this visit, so "next" never offers one already done. */
export const decidedHere = signal<Set<string>>(new Set());
