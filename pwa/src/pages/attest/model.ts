/**
 * Attest as the API shows it (backend/attest/schemas.py), and the little state the attest
 * screens share: the inbox's order (so a decision can go straight on to the next item) and
 * a message for the next screen.
 */
import { signal } from '@preact/signals';

import type { HistoryEntry, PersonRef } from '../../attest-types';

export type { HistoryEntry, PersonRef };

export const KINDS = ['expense_claim', 'travel_claim', 'time_week', 'leave_request'] as const;
export type Kind = (typeof KINDS)[number];
export const SORTS = ['oldest', 'newest', 'amount', 'employee'] as const;
export type Sort = (typeof SORTS)[number];
export const DECISIONS = ['approved', 'returned', 'locked'] as const;
export type DecisionFilter = (typeof DECISIONS)[number];

export interface ItemWarning {
  code: string;
  message: string;
}

export interface CutOff {
  /** Attest by this day (YYYY-MM-DD) ... */
  date: string;
  /** ... and the item reaches this pay (YYYY-MM), paid on `pay_date`. */
  pay_period: string;
  pay_date: string;
}

export interface InboxItem {
  id: string;
  kind: Kind;
  subject_id: string;
  version: number;
  employee: PersonRef;
  title: string;
  amount: string | null;
  hours: string | null;
  submitted_at: string;
  days_waiting: number;
  cutoff: CutOff;
  warnings: ItemWarning[];
  on_behalf_of: PersonRef | null;
  times_returned: number;
}

export interface Inbox {
  items: InboxItem[];
  total: number;
  next_cutoff: CutOff;
}

export interface DecisionOutcome {
  item_id: string;
  ok: boolean;
  status: number;
  code: string;
  message: string;
  state: string | null;
  pay_period: string | null;
}

export interface BulkOutcome {
  approved: number;
  returned: number;
  failed: number;
  outcomes: DecisionOutcome[];
}

export interface ItemView {
  id: string;
  kind: Kind;
  subject_id: string;
  version: number;
  state: string;
  employee: PersonRef;
  title: string;
  amount: string | null;
  hours: string | null;
  first_submitted_at: string;
  submitted_at: string;
  decided_at: string | null;
  decided_by: string | null;
  on_behalf_of: PersonRef | null;
  return_reason: string | null;
  pay_period: string | null;
  times_returned: number;
  warnings: ItemWarning[];
  can_decide: boolean;
  /** The item as its own area shows it (an expense claim, a time week, a travel claim, a leave request: see details.tsx), null when there is none. */
  detail: unknown;
  history: HistoryEntry[];
}

export interface ArchiveItem {
  id: string;
  kind: Kind;
  subject_id: string;
  employee: PersonRef;
  title: string;
  amount: string | null;
  hours: string | null;
  state: string;
  submitted_at: string;
  decided_at: string | null;
  decided_by: string | null;
  on_behalf_of: PersonRef | null;
  return_reason: string | null;
  pay_period: string | null;
}

export interface LeadTime {
  decided: number;
  median_days: string | null;
  p90_days: string | null;
  returned_share: string | null;
  waiting_over_limit: number;
}

export interface ManagerLeadTime extends LeadTime {
  manager: PersonRef;
  team: string | null;
}

export interface Insight {
  from_date: string;
  to_date: string;
  waiting_limit_days: number;
  overall: LeadTime;
  by_manager: ManagerLeadTime[];
  by_team: Record<string, LeadTime>;
}

export interface Delegation {
  id: string;
  manager: PersonRef;
  substitute: PersonRef;
  valid_from: string;
  valid_to: string;
  active: boolean;
  ended_at: string | null;
}

export interface EmployeeSummary {
  id: string;
  employee_number: string;
  name: string;
  email: string | null;
  manager_id: string | null;
}

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
