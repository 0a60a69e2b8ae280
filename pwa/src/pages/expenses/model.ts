/**
 * Expenses as the API shows them (backend/expenses/schemas.py), and the small helpers the
 * screens share: field names, decimal strings, states.
 */
import { signal } from '@preact/signals';

import type { FieldError, Schema } from '../../api';
import type { ItemState } from '../../attest-types';

export type ReceiptState = Schema<'ReceiptView'>['state'];
export type ExpenseState = ItemState;
/** How an expense was paid, as an expense is saved (a view's `payment` is any string). */
export type Payment = Schema<'ExpenseIn'>['payment'];

export const CATEGORIES = [
  'meal',
  'taxi',
  'hotel',
  'fuel',
  'parking',
  'train_flight',
  'representation',
  'wellness',
  'wellness_treatment',
  'office_supplies',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Currencies offered first; any other ISO code on a receipt is kept and shown too. */
export const CURRENCIES = ['SEK', 'EUR', 'NOK', 'DKK', 'USD', 'GBP', 'CHF', 'PLN', 'ISK', 'JPY', 'MYR'] as const;
export const VAT_RATES = ['25', '12', '6', '0'] as const;

/** Where a field was read on the receipt, as fractions of the image (an interpretation's `boxes`). */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * What receipt reading found (the API describes it only as an object: it is the OCR's JSON as
 * stored, so its shape is written here).
 */
export interface Interpretation {
  merchant: string | null;
  org_number: string | null;
  date: string | null;
  total: string | null;
  currency: string | null;
  category: string | null;
  confidence: Record<string, number>;
  boxes: Record<string, Box[]>;
  image_size?: { width: number; height: number };
  /** False when nothing was found on the receipt (older interpretations leave it out). */
  readable?: boolean;
  /** Fields read below the certain threshold, by the interpretation's names (`total`, `date`...). */
  to_check?: string[];
  /** Whether the currency was printed on the receipt or inferred (country, language...). */
  currency_source?: 'printed' | 'inferred';
}

/** The API's receipt, with its interpretation's shape (above). */
export type ReceiptView = Omit<Schema<'ReceiptView'>, 'interpretation'> & { interpretation: Interpretation | null };
export type VatRow = Schema<'VatRowView'>;
export type Participant = Schema<'ParticipantView'>;
export type ExpenseWarning = Schema<'Warning'>;
/** What submitting would refuse now, beside its field (the server's submission rules, run at every save). */
export type FieldNote = Schema<'FieldNote'>;
/** `remembered`: fields filled in from an earlier correction in the organisation (merchant, category, currency). */
export type ExpenseView = Omit<Schema<'ExpenseView'>, 'receipt'> & { receipt: ReceiptView | null };
/** What PUT /api/expenses/{id} takes. */
export type ExpenseIn = Schema<'ExpenseIn'>;
export type ClaimSummary = Schema<'ClaimSummary'>;
export type ClaimView = Omit<Schema<'ClaimView'>, 'expenses'> & { expenses: ExpenseView[] };
export type WellnessView = Schema<'WellnessView'>;
/** `rate` and `date` are null when rates are not fetched automatically (`source` "manual"). */
export type ExchangeRateView = Schema<'ExchangeRateView'>;
export type ProjectView = Schema<'ProjectView'>;
export type CostCentreView = Schema<'CostCentreView'>;

/** The expense's field and the name receipt interpretation uses for it (confidence, boxes). */
export const READ_AS: Record<string, string> = {
  expense_date: 'date',
  merchant: 'merchant',
  org_number: 'org_number',
  amount: 'total',
  currency: 'currency',
  vat: 'vat',
  category: 'category',
};

/** Below this, a value read from the receipt is marked for the employee to check. */
export const UNCERTAIN_BELOW = 0.8;

/** Nothing was found on the receipt: the form says so instead of "Kvittot är läst". */
export function nothingRead(interpretation: Interpretation | null | undefined): boolean {
  if (!interpretation) return false;
  if (interpretation.readable === false) return true;
  return !interpretation.total && !interpretation.date && !interpretation.merchant;
}

export function isReading(receipt: ReceiptView | null | undefined): boolean {
  return receipt?.state === 'queued' || receipt?.state === 'interpreting';
}

// --- decimal strings -------------------------------------------------------------------------

export { parseDecimal } from '../../numbers';

/** A decimal string from the API as the user's language writes it ("268,17" in Swedish). */
export function showDecimal(value: string | null | undefined, locale: string): string {
  if (value === null || value === undefined) return '';
  return locale === 'sv' ? value.replace('.', ',') : value;
}

function toScaled(value: string): { units: bigint; scale: number } {
  const [whole = '0', fraction = ''] = value.split('.');
  return { units: BigInt(whole + fraction), scale: fraction.length };
}

/** amount × rate in kronor, rounded half up to öre, exactly (no floats): what the server computes. */
export function multiplyToOre(amount: string, rate: string): string {
  const a = toScaled(amount);
  const b = toScaled(rate);
  const scale = a.scale + b.scale;
  const product = a.units * b.units;
  let ore: bigint;
  if (scale >= 2) {
    const divisor = 10n ** BigInt(scale - 2);
    ore = (product * 2n + divisor) / (divisor * 2n);
  } else {
    ore = product * 10n ** BigInt(2 - scale);
  }
  const text = ore.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/** Sum of money strings (at most two decimals, as the API sends them), exactly. */
export function sumMoney(values: Array<string | null | undefined>): string {
  let ore = 0n;
  for (const value of values) {
    if (!value) continue;
    const { units, scale } = toScaled(value);
    ore += scale <= 2 ? units * 10n ** BigInt(2 - scale) : units / 10n ** BigInt(scale - 2);
  }
  const text = ore.toString().padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

export function compareDecimal(a: string, b: string): number {
  const x = toScaled(a);
  const y = toScaled(b);
  const scale = Math.max(x.scale, y.scale);
  const left = x.units * 10n ** BigInt(scale - x.scale);
  const right = y.units * 10n ** BigInt(scale - y.scale);
  return left === right ? 0 : left < right ? -1 : 1;
}

// --- state shared between the screens ---------------------------------------------------------

/** A short confirmation shown on the next screen ("Utlägget är sparat"). */
export const flash = signal<string | null>(null);

/**
 * What the last submission of a claim said about each expense (expense id -> problems with
 * the expense's own field names), so the expense form can show them next to its fields.
 */
export const submitProblems = signal<Record<string, FieldError[]>>({});

export function clearSubmitProblem(expenseId: string, field: string): void {
  const current = submitProblems.value[expenseId];
  if (!current?.some((problem) => problem.field === field || problem.field.startsWith(`${field}.`))) return;
  submitProblems.value = {
    ...submitProblems.value,
    [expenseId]: current.filter((problem) => problem.field !== field && !problem.field.startsWith(`${field}.`)),
  };
}
