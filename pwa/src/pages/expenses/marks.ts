/** What the expense form says beside each field: its problem, "read uncertainly", "remembered". */
import type { ApiError, FieldError } from '../../api';
import type { Messages } from '../../i18n';
import { nothingRead, READ_AS, UNCERTAIN_BELOW, type Box, type ExpenseView } from './model';
import type { FieldName, FormState } from './form';

export interface FieldMarks {
  /** The problem to show beside a field (a path such as `vat.0.amount`), if any. */
  errorFor: (name: string) => string | undefined;
  /** Read from the receipt but unsure (or not found): the employee should check it. */
  uncertain: (name: FieldName) => boolean;
  currencyUncertain: boolean;
  /** "Not read" beside an uncertain field that is still empty. */
  notReadText: (name: FieldName) => string | undefined;
  /** "Filled from an earlier correction" while the employee has not changed it. */
  rememberedHint: (name: FieldName) => string | undefined;
  /** Where on the receipt a field was read. */
  boxesFor: (name: string) => Box[];
  /** Nothing at all could be read from the receipt (said at the top until saved). */
  unread: boolean;
}

export function fieldMarks({
  t,
  expense,
  form,
  touched,
  reading,
  localErrors,
  saveError,
  problems,
}: {
  t: Messages;
  expense: ExpenseView;
  form: FormState;
  touched: Set<string>;
  /** The receipt is being read: what it lacks is not said yet. */
  reading: boolean;
  localErrors: Record<string, string>;
  saveError: ApiError | null;
  /** What submitting refused, by field. */
  problems: FieldError[];
}): FieldMarks {
  const editable = expense.editable;
  /** What submitting would refuse (sent with every save and read), until the employee changes that field. */
  const toFix = (name: string): string | undefined => {
    if (reading || !editable) return undefined;
    const root = name === 'receipt' ? 'comment' : (name.split('.')[0] ?? name);
    if (touched.has(root)) return undefined;
    return expense.to_fix?.find((note) => note.field === name)?.message;
  };
  const errorFor = (name: string): string | undefined =>
    localErrors[name] ??
    saveError?.fieldError(name) ??
    problems.find((problem) => problem.field === name)?.message ??
    toFix(name);
  const boxesFor = (name: string) => {
    const read = READ_AS[name];
    return (read && expense.receipt?.interpretation?.boxes?.[read]) || [];
  };
  // Filled from the organisation's earlier correction of this seller: said so until changed or saved.
  const remembered = (name: FieldName): boolean =>
    editable && (expense.remembered ?? []).includes(name) && !touched.has(name);
  const rememberedHint = (name: FieldName) => (remembered(name) ? t.expenses.form.remembered : undefined);
  // Until the employee saves, what was read is marked where the reader was unsure (or found nothing).
  const interpretation = expense.receipt?.interpretation;
  const unconfirmed = expense.filled_from_receipt && editable && Object.keys(expense.confidence).length > 0;
  const unread = unconfirmed && nothingRead(interpretation);
  const toCheck = new Set(interpretation?.to_check ?? []);
  const filled = (name: FieldName): boolean => {
    const value = form[name];
    return Array.isArray(value) ? value.length > 0 : Boolean(value);
  };
  const uncertain = (name: FieldName): boolean => {
    const read = READ_AS[name];
    if (!unconfirmed || read === undefined || touched.has(name) || remembered(name)) return false;
    // `to_check` may name the reader's field (`total`) or the form's (`amount`): either counts.
    const check = toCheck.has(read) || toCheck.has(name);
    if (!filled(name)) return unread || check;
    return (expense.confidence[read] ?? 1) < UNCERTAIN_BELOW || check;
  };
  const notReadText = (name: FieldName): string | undefined => (filled(name) ? undefined : t.expenses.notRead);
  // An inferred currency is a guess even when it is kronor: 31,44 € must not be paid as 31,44 kr.
  const currencyUncertain =
    uncertain('currency') ||
    (unconfirmed &&
      !remembered('currency') &&
      !touched.has('currency') &&
      (interpretation?.currency_source === 'inferred' ||
        !interpretation?.currency ||
        (interpretation.confidence[READ_AS.currency ?? 'currency'] ?? 0) < UNCERTAIN_BELOW));
  return { errorFor, uncertain, currencyUncertain, notReadText, rememberedHint, boxesFor, unread };
}

/** What every part of the expense form is given: the values, how to change one, and what to say beside each. */
export interface FieldsProps {
  form: FormState;
  set: <K extends FieldName>(name: K, value: FormState[K]) => void;
  marks: FieldMarks;
  /** "Show on the receipt" for a field read from it (undefined where there is nothing to show). */
  showOn: (name: string) => (() => void) | undefined;
  /** Focusing a field points it out on the receipt. */
  focusProps: (name: string) => { onFocus: () => void };
}
