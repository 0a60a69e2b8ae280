/** The receipt beside the form, with the field being checked pointed out on it. */
import { useT } from '../../i18n';
import type { ReceiptView } from './model';
import { ReceiptViewer, type Highlight } from './ReceiptViewer';

export function ReceiptPanel({ receipt, highlight, reveal }: { receipt: ReceiptView; highlight: Highlight | null; reveal: number }) {
  const t = useT();
  return (
    <section class="expense-receipt card" aria-labelledby="expense-receipt-heading">
      <h2 id="expense-receipt-heading">{t.expenses.form.receipt}</h2>
      <ReceiptViewer receipt={receipt} highlight={highlight} reveal={reveal} />
    </section>
  );
}
