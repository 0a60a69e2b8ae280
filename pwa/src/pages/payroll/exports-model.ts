import type { Problem } from '../../api';

/** The payroll office's periods and export batches, as `/api/payroll/periods` and `/export-batches` answer. */

export interface ExportBatch {
  id: string;
  period: string;
  sequence: number;
  created_at: string;
  created_by: string | null;
  items: number;
  transactions: number;
  vouchers: number;
  reversals: number;
  total_amount: string;
  paxml_sha256: string;
  sie_sha256: string;
}

export interface WaitingItem {
  id: string;
  title: string;
  employee: string;
  state: 'submitted' | 'returned';
}

export interface PeriodView {
  period: string;
  cutoff: string;
  pay_date: string;
  /** `closing`: the close was asked for and its job is making the export (ask again for the outcome). */
  state: 'open' | 'closing' | 'closed';
  /** Open and past its cut-off: it can be closed now. */
  closable: boolean;
  close_requested_at: string | null;
  /** Why the last close was refused (each employee's error listed), while the period is open again. */
  close_problem: Problem | null;
  closed_at: string | null;
  closed_by: string | null;
  waiting: { submitted: number; returned: number };
  ready: number;
  batches: ExportBatch[];
  waiting_items?: WaitingItem[];
}

/** A batch's files, downloaded with the session cookie (a plain link: the browser saves it). */
export function batchFile(batch: ExportBatch, format: 'paxml' | 'sie'): string {
  return `/api/payroll/export-batches/${batch.id}/${format}`;
}

/** One frozen transaction of a batch (`/export-batches/{id}/rows`): what an error report on an export row names. */
export interface ExportRow {
  position: number;
  item_id: string;
  item_title: string | null;
  employee: string;
  employee_number: string;
  section: string;
  code: string;
  pay_type: string;
  day: string;
  text: string;
  hours: string | null;
  quantity: string | null;
  amount: string | null;
  reversal: boolean;
}

export interface ExportRows {
  total: number;
  offset: number;
  limit: number;
  rows: ExportRow[];
}
