import type { Problem } from '../../api';

/** The payslip and payroll's overview as the API shows them (backend/payslips/schemas.py). */

export const GROUPS = ['salary', 'additions', 'deductions', 'tax_free', 'tax'] as const;
export type Group = (typeof GROUPS)[number];

/** A sub-line showing how a line adds up (travel days, meal reductions, mil); not in any total. */
export interface DetailLine {
  text: string;
  quantity: string | null;
  unit: string | null;
  rate: string | null;
  amount: string;
}

export interface PayslipLine {
  code: string;
  group: string;
  text: string;
  quantity: string | null;
  unit: string | null;
  rate: string | null;
  amount: string;
  taxable: boolean;
  cash: boolean;
  work_period: string | null;
  source_ids: string[];
  explanation: string;
  details: DetailLine[];
}

export interface PendingLine {
  /** The item itself (an expense claim's id, a travel claim's id ...), not its attest item. */
  item_id: string;
  kind: string;
  status: string;
  approved: boolean;
  can_reach_this_payslip: boolean;
  text: string;
  amount: string | null;
  hours: string | null;
  submitted_on: string | null;
  explanation: string;
}

export interface Warning {
  code: string;
  message: string;
}

/** The vacation balance in the pay period's year; `saved_days` null: not kept by the product. */
export interface Vacation {
  year: number;
  paid_days: string;
  taken: string;
  planned: string;
  remaining: string;
  unpaid_days: string;
  saved_days: string | null;
  explanation: string;
}

export interface Payslip {
  /** Null on payslips stored before the employer was recorded on them (also `employee_number`, `vacation`). */
  employer: { name: string; org_number: string | null } | null;
  employee_id: string;
  employee_name: string;
  employee_number: string | null;
  period: string;
  pay_date: string;
  cut_off: string;
  preliminary: boolean;
  extra_run: boolean;
  pay_run_id: string | null;
  computed_on: string;
  net_pay: string;
  gross_pay: string;
  taxable_benefits: string;
  taxable_pay: string;
  tax_free: string;
  tax: string;
  lines: PayslipLine[];
  tax_basis: {
    year: number;
    table: number | null;
    column: number;
    column_derived_from_age: boolean;
    taxable_pay: string;
    tax: string;
    explanation: string;
  };
  employer_contributions: { total: string; parts: Array<{ base: string; rate: string; amount: string; explanation: string }> };
  employer_cost: string;
  year_to_date: {
    year: number;
    gross_pay: string;
    taxable_pay: string;
    tax: string;
    net_pay: string;
    employer_contributions: string;
    tax_free: string;
  };
  vacation: Vacation | null;
  pending: PendingLine[];
  warnings: Warning[];
}

export interface PayslipSummary {
  period: string;
  pay_date: string;
  preliminary: boolean;
  extra_run: boolean;
  pay_run_id: string | null;
  gross_pay: string;
  net_pay: string;
}

export interface OverviewRow {
  employee_id: string;
  employee_name: string;
  employee_number: string;
  gross_pay: string;
  tax: string;
  net_pay: string;
  employer_contributions: string;
  pending_items: number;
  pending_amount: string;
  warnings: Warning[];
}

export interface Overview {
  period: string;
  pay_date: string;
  cut_off: string;
  employees: number;
  gross_pay: string;
  tax: string;
  net_pay: string;
  employer_contributions: string;
  pending_items: number;
  with_warnings: number;
  rows: OverviewRow[];
  /** A paid period: the stored payslips of its runs, not a new computation. */
  finalised?: boolean;
  /** For payroll, once for the period (e.g. the pay date's year has no figures loaded: what to load); absent in answers cached offline by an older version. */
  warnings?: Warning[];
  /** ``rows`` is one page: from ``offset``, at most ``limit``, in the order ``sort``/``direction`` (sorted by the server). */
  offset?: number;
  limit?: number;
  sort?: OverviewSort;
  direction?: SortDirection;
  /** Names these computed figures: the next page or another order asked with it comes from the same figures. */
  snapshot?: string | null;
}

export type OverviewSort = 'warnings' | 'name' | 'gross' | 'tax' | 'net' | 'pending';
export type SortDirection = 'ascending' | 'descending';

export interface PayRun {
  id: string;
  period: string;
  sequence: number;
  pay_date: string;
  finalised_at: string;
  employees: number;
  gross_pay: string;
  net_pay: string;
  tax: string;
  employer_contributions: string;
  locked_items: number;
}

/** A pay run asked for (`POST /api/payroll/pay-runs`): a job on the server pays it, then it is done or refused. */
export interface PayRunRequest {
  id: string;
  period: string;
  extra: boolean;
  state: 'waiting' | 'done' | 'refused';
  requested_at: string;
  finished_at: string | null;
  pay_run: PayRun | null;
  problem: Problem | null;
}

/** What finalising would pay now (`GET /api/payroll/pay-runs/preview`): the confirmation shows this. */
export interface PayRunPreview {
  period: string;
  extra: boolean;
  sequence: number;
  pay_date: string;
  cut_off: string;
  employees: number;
  gross_pay: string;
  tax: string;
  net_pay: string;
  employer_contributions: string;
  locked_items: number;
  rows: {
    employee_id: string;
    employee_name: string;
    employee_number: string;
    gross_pay: string;
    tax: string;
    net_pay: string;
    lines: { text: string; amount: string }[];
  }[];
  /** Sent back when finalising: the run is refused if it would now pay anything else. */
  fingerprint: string;
}

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
