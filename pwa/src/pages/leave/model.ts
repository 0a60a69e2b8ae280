/** Leave requests and vacation days as the API shows them (backend/leave/schemas.py). */
import type { AttestView, HistoryEntry, ItemState, PersonRef } from '../../attest-types';

export const LEAVE_KINDS = ['vacation', 'parental_leave', 'unpaid_leave'] as const;
export type LeaveKind = (typeof LEAVE_KINDS)[number];

export interface VacationBalance {
  employee: PersonRef;
  year: number;
  entitlement: string;
  approved: string;
  pending: string;
  remaining: string;
}

export interface LeaveRequestView {
  id: string;
  employee: PersonRef;
  kind: LeaveKind;
  kind_name: string;
  first_day: string;
  last_day: string;
  days: string;
  comment: string | null;
  state: ItemState;
  editable: boolean;
  balance: VacationBalance | null;
  attest: AttestView | null;
  history: HistoryEntry[];
}

export interface LeaveRequestIn {
  first_day: string;
  last_day: string;
  kind: LeaveKind;
  comment: string | null;
}
