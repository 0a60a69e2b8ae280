import type { Schema } from '../../api';

/** The payslip and payroll's overview as the API shows them (backend/payslips/schemas.py). */

export const GROUPS = ['salary', 'additions', 'deductions', 'tax_free', 'tax'] as const;
export type Group = (typeof GROUPS)[number];

/** A sub-line showing how a line adds up (travel days, meal reductions, mil); not in any total. */
export type DetailLine = Schema<'DetailView'>;
export type PayslipLine = Schema<'LineView'>;
/** `item_id`: the item itself (an expense claim's id, a travel claim's id ...), not its attest item. */
export type PendingLine = Schema<'PendingView'>;
export type Warning = Schema<'WarningView'>;
/** The vacation balance in the pay period's year; `saved_days` null: not kept by the product. */
export type Vacation = Schema<'VacationView'>;
/** `employer`, `employee_number` and `vacation` are null on payslips stored before they were recorded on them. */
export type Payslip = Schema<'PayslipView'>;
export type PayslipSummary = Schema<'PayslipSummary'>;
export type OverviewRow = Schema<'OverviewRow'>;
/**
 * `finalised`: a paid period (the stored payslips of its runs, not a new computation); `warnings`:
 * for payroll, once for the period; `rows` is one page (from `offset`, at most `limit`, in the
 * order `sort`/`direction`); `snapshot` names these computed figures, so that the next page or
 * another order asked with it comes from the same figures.
 */
export type Overview = Schema<'Overview'>;

/** The orders the overview can be asked for (`sort` and `direction` in its query; the answer says them as plain strings). */
export type OverviewSort = 'warnings' | 'name' | 'gross' | 'tax' | 'net' | 'pending';
export type SortDirection = 'ascending' | 'descending';

export type PayRun = Schema<'PayRunView'>;
/** A pay run asked for (`POST /api/payroll/pay-runs`): a job on the server pays it, then it is done or refused. */
export type PayRunRequest = Schema<'PayRunRequestView'>;
/**
 * What finalising would pay now (`GET /api/payroll/pay-runs/preview`): the confirmation shows this.
 * `fingerprint` is sent back when finalising: the run is refused if it would now pay anything else.
 */
export type PayRunPreview = Schema<'PayRunPreview'>;

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The month after a period: "2026-12" -> "2027-01". */
export function nextPeriod(period: string): string {
  const [y = 1970, m = 1] = period.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** A decimal string ("-1234.5") in öre, exactly. */
export function toOre(value: string): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const ore = BigInt(whole || '0') * 100n + BigInt((fraction + '00').slice(0, 2));
  return negative ? -ore : ore;
}

/** Compares decimal strings exactly (for sorting money columns). */
export function compareDecimal(a: string, b: string): number {
  const x = toOre(a);
  const y = toOre(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
