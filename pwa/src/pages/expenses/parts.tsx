/** Small pieces the expense screens share: an expense's name and amount, the capture buttons. */
import { useLocation } from 'preact-iso';

import { CameraButton } from '../../components/CameraButton';
import { useT, type Messages } from '../../i18n';
import { formatDate, formatMoney } from '../../i18n/format';
import type { ExpenseView } from './model';
import { startUpload } from './uploads';

export function expenseName(t: Messages, expense: Pick<ExpenseView, 'merchant'>): string {
  return expense.merchant?.trim() || t.expenses.unnamed;
}

/** "Hemköp, 21 okt. 2026, 268,17 kr": how an expense is named in labels and problem lists. */
export function expenseLabel(t: Messages, expense: ExpenseView): string {
  return [expenseName(t, expense), expense.expense_date ? formatDate(expense.expense_date, 'medium') : null, amountText(t, expense)]
    .filter(Boolean)
    .join(', ');
}

/** The amount as paid, and in kronor when it was paid in another currency. */
export function amountText(t: Messages, expense: Pick<ExpenseView, 'amount' | 'currency' | 'amount_sek'>): string {
  if (!expense.amount) return t.expenses.noAmount;
  const paid = formatMoney(expense.amount, expense.currency);
  return expense.currency !== 'SEK' && expense.amount_sek ? `${paid} (${formatMoney(expense.amount_sek)})` : paid;
}

/**
 * "Nytt kvitto": the phone's camera opens at once (`capture="environment"`), and the chosen
 * photo starts uploading while the app opens its expense. Tap, take the photo, confirm.
 */
export function CaptureButtons({ showFilePicker = false }: { showFilePicker?: boolean }) {
  const t = useT();
  const { route } = useLocation();
  const upload = (file: File) => route(`/expenses/${startUpload(file)}`);
  const onChosen = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) upload(file);
  };
  return (
    <div class="capture-buttons">
      <CameraButton onFile={upload}>{showFilePicker ? t.expenses.takePhoto : t.expenses.newReceipt}</CameraButton>
      {showFilePicker && (
        <label class="button button--secondary file-button">
          <input class="visually-hidden" type="file" accept="image/*,application/pdf" onChange={onChosen} />
          {t.expenses.chooseFile}
        </label>
      )}
    </div>
  );
}
