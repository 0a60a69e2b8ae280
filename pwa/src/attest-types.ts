/**
 * What every item sent for attest carries as the API shows it (backend/attest/schemas.py): its
 * state, the attest it is in, and who did what to it. Shared by expenses, time, leave, travel
 * and the attest screens.
 */

export type ItemState = 'draft' | 'submitted' | 'approved' | 'returned' | 'locked';

export interface PersonRef {
  id: string;
  name: string;
}

export interface AttestView {
  /** The attest item: what an error report about the item names. */
  item_id: string;
  state: string;
  submitted_at: string;
  decided_at: string | null;
  return_reason: string | null;
  pay_period: string | null;
  times_returned: number;
}

export interface HistoryEntry {
  occurred_at: string;
  action: string;
  actor: string | null;
  on_behalf_of: string | null;
  reason: string | null;
}
