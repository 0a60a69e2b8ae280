import { useT } from '../../i18n';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../i18n/format';
import type { PayRun } from '../payslip/model';

/** The pay runs made, newest last, each opening its period. */
export function PayRunList({ runs }: { runs: PayRun[] }) {
  const t = useT();
  return (
    <section class="card" aria-labelledby="payroll-runs">
      <h2 id="payroll-runs">{t.payroll.runs}</h2>
      <ul class="item-list">
        {runs.map((run) => (
          <li key={run.id} class="item">
            <a class="item__main" href={`/payroll?period=${run.period}`}>
              <span class="item__title">
                {formatPeriod(run.period)}
                {run.sequence > 0 && ` · ${t.payroll.extraNumber(run.sequence)}`}
              </span>
              <span class="item__meta">
                {t.payroll.runMeta(formatDateTime(run.finalised_at), run.employees)} ·{' '}
                {t.payroll.paidOn(formatDate(run.pay_date, 'medium'))}
              </span>
            </a>
            <span class="item__amount">{formatMoney(run.net_pay)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
