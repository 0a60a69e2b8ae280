import type { Ref } from 'preact';

import type { ApiError } from '../../api';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDate, formatMoney, formatPeriod } from '../../i18n/format';
import type { Overview, PayRunPreview } from '../payslip/model';

/** "Slutför lönekörning?": exactly who and what the run would pay (the server's preview), then yes or cancel. */
export function PayRunDialog({
  dialogRef,
  overview,
  extra,
  confirming,
  preview,
  previewChanged,
  runError,
  busy,
  onFinalise,
  onClose,
}: {
  dialogRef: Ref<HTMLDialogElement>;
  overview: Overview;
  /** The period has been paid already: this run is an extra one. */
  extra: boolean;
  confirming: boolean;
  preview: PayRunPreview | null;
  /** The figures changed since the preview the payroll officer saw: this is the new one. */
  previewChanged: boolean;
  runError: ApiError | null;
  busy: boolean;
  onFinalise: () => void;
  onClose: () => void;
}) {
  const t = useT();
  return (
    <dialog
      ref={dialogRef}
      class="dialog"
      aria-labelledby="payroll-confirm-title"
      aria-describedby="payroll-confirm-body"
      onClose={() => confirming && onClose()}
    >
      <h2 id="payroll-confirm-title">
        {extra ? t.payroll.confirmExtraTitle(formatPeriod(overview.period)) : t.payroll.confirmTitle(formatPeriod(overview.period))}
      </h2>
      <div id="payroll-confirm-body" aria-busy={confirming && !preview && !runError}>
        {previewChanged && (
          <p class="alert alert--warning" role="alert">
            {t.payroll.previewChanged}
          </p>
        )}
        {confirming && !preview && !runError && <p class="loading">{t.payroll.previewLoading}</p>}
        {preview && preview.employees === 0 && <p>{t.payroll.previewNobody}</p>}
        {preview && preview.employees > 0 && (
          <>
            <p>
              {t.payroll.confirmBody(preview.employees, formatMoney(preview.net_pay), formatDate(preview.pay_date, 'long'))}
            </p>
            <p class="muted">{t.payroll.previewTotals(formatMoney(preview.gross_pay), formatMoney(preview.tax))}</p>
            <details class="disclosure" open={preview.extra}>
              <summary>{t.payroll.previewWho}</summary>
              <ul class="plain-list">
                {preview.rows.map((row) => (
                  <li key={row.employee_id}>
                    <strong>{row.employee_name}</strong> {formatMoney(row.net_pay)} {t.payroll.net.toLowerCase()}
                    {preview.extra && row.lines.length > 0 && (
                      <span class="muted table__sub">
                        {row.lines.map((line) => `${line.text} ${formatMoney(line.amount)}`).join(', ')}
                      </span>
                    )}
                  </li>
                ))}
              </ul>
              {preview.rows.length < preview.employees && <p class="muted">{t.payroll.previewMore(preview.employees - preview.rows.length)}</p>}
            </details>
          </>
        )}
        {!extra && overview.pending_items > 0 && <p>{t.payroll.pendingWarning(overview.pending_items)}</p>}
        <p>
          <strong>{t.payroll.cannotUndo}</strong>
        </p>
      </div>
      {runError && <ProblemAlert error={runError} />}
      <div class="button-row">
        <button
          type="button"
          class="button button--primary"
          aria-disabled={busy || !preview || preview.employees === 0}
          onClick={onFinalise}
        >
          {busy ? t.payroll.finalising : t.payroll.confirm}
        </button>
        <button type="button" class="button button--secondary" onClick={onClose}>
          {t.payroll.cancel}
        </button>
      </div>
    </dialog>
  );
}
