/**
 * The expense form's state: values as typed (decimals in the user's own notation), how they
 * come from the API, how fresh values from receipt interpretation merge in, and the body for PUT.
 */
import type { Locale, Messages } from '../../i18n';
import { parseDecimal, showDecimal, type ExpenseIn, type ExpenseView, type Participant, type Payment, type VatRow } from './model';

/** The form's values as typed (decimals in the user's own notation). */
export interface FormState {
  expense_date: string;
  merchant: string;
  org_number: string;
  amount: string;
  currency: string;
  exchange_rate: string;
  vat: VatRow[];
  category: string;
  payment: Payment;
  project_id: string;
  cost_centre_id: string;
  comment: string;
  purpose: string;
  participants: Participant[];
}
export type FieldName = keyof FormState;

const FIELD_NAMES: FieldName[] = [
  'expense_date',
  'merchant',
  'org_number',
  'amount',
  'currency',
  'exchange_rate',
  'vat',
  'category',
  'payment',
  'project_id',
  'cost_centre_id',
  'comment',
  'purpose',
  'participants',
];
/** Field paths the form shows next to an input; any other problem is listed at the top. */
export const SHOWN_FIELD =
  /^(expense_date|merchant|org_number|amount|currency|exchange_rate|category|payment|project_id|cost_centre_id|comment|purpose|receipt|vat|participants)(\.\d+\.(rate|amount|name|company))?$/;

export function toForm(expense: ExpenseView, lang: Locale): FormState {
  return {
    expense_date: expense.expense_date ?? '',
    merchant: expense.merchant ?? '',
    org_number: expense.org_number ?? '',
    amount: showDecimal(expense.amount, lang),
    currency: expense.currency || 'SEK',
    exchange_rate: showDecimal(expense.exchange_rate, lang),
    vat: expense.vat.map((row) => ({ rate: String(Number(row.rate)), amount: showDecimal(row.amount, lang) })),
    category: expense.category ?? '',
    payment: expense.payment === 'company_card' ? 'company_card' : 'private', // a view's payment is any string
    project_id: expense.project_id ?? '',
    cost_centre_id: expense.cost_centre_id ?? '',
    comment: expense.comment ?? '',
    purpose: expense.purpose ?? '',
    participants: expense.participants.map((p) => ({ ...p })),
  };
}

/** Fresh values from the server for every field the employee has not touched yet. */
export function merge(current: FormState, touched: Set<string>, fresh: FormState): FormState {
  const next = { ...current } as Record<FieldName, unknown>;
  for (const name of FIELD_NAMES) if (!touched.has(name)) next[name] = fresh[name];
  return next as unknown as FormState;
}

export function blank(id: string): ExpenseView {
  const now = new Date().toISOString();
  return {
    id,
    state: 'draft',
    editable: true,
    claim_id: null,
    travel_claim_id: null,
    receipt: null,
    expense_date: null,
    merchant: null,
    org_number: null,
    amount: null,
    currency: 'SEK',
    exchange_rate: null,
    exchange_rate_source: null,
    amount_sek: null,
    vat: [],
    category: null,
    payment: 'private',
    project_id: null,
    cost_centre_id: null,
    comment: null,
    purpose: null,
    participants: [],
    attachment_receipt_ids: [],
    filled_from_receipt: false,
    confidence: {},
    remembered: [],
    warnings: [],
    to_fix: [],
    created_at: now,
    updated_at: now,
  };
}

/** The body for PUT, or the fields whose numbers cannot be read. */
export function toBody(form: FormState, expense: ExpenseView, t: Messages): { body: ExpenseIn; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const decimal = (field: string, value: string): string | null => {
    if (!value.trim()) return null;
    const parsed = parseDecimal(value);
    if (parsed === null) errors[field] = t.expenses.form.invalidNumber;
    return parsed;
  };
  const text = (value: string): string | null => value.trim() || null;
  const foreign = form.currency !== 'SEK';
  const body: ExpenseIn = {
    receipt_id: expense.receipt?.id ?? null,
    expense_date: form.expense_date || null,
    merchant: text(form.merchant),
    org_number: text(form.org_number),
    amount: decimal('amount', form.amount),
    currency: form.currency,
    exchange_rate: foreign ? decimal('exchange_rate', form.exchange_rate) : null,
    vat: form.vat
      .map((row, index) => ({ rate: row.rate, amount: decimal(`vat.${index}.amount`, row.amount) }))
      .filter((row): row is VatRow => row.amount !== null),
    category: form.category || null,
    payment: form.payment,
    project_id: form.project_id || null,
    cost_centre_id: form.cost_centre_id || null,
    comment: text(form.comment),
    purpose: form.category === 'representation' ? text(form.purpose) : null,
    participants:
      form.category === 'representation'
        ? form.participants
            .map((p) => ({ name: p.name.trim(), company: p.company.trim() }))
            .filter((p) => p.name || p.company)
        : [],
    attachment_receipt_ids: expense.attachment_receipt_ids,
  };
  return { body, errors };
}
