import { useT } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import type { VacationBalance } from './model';

/** Vacation days of the year: left first, then what the number is made of. */
export function BalanceFacts({ balance }: { balance: VacationBalance }) {
  const t = useT();
  return (
    <dl class="facts">
      <div>
        <dt>{t.leave.remaining}</dt>
        <dd class="leave-remaining">{t.leave.days(formatNumber(balance.remaining))}</dd>
      </div>
      <div>
        <dt>{t.leave.entitlement}</dt>
        <dd>{t.leave.days(formatNumber(balance.entitlement))}</dd>
      </div>
      <div>
        <dt>{t.leave.approved}</dt>
        <dd>{t.leave.days(formatNumber(balance.approved))}</dd>
      </div>
      <div>
        <dt>{t.leave.pending}</dt>
        <dd>{t.leave.days(formatNumber(balance.pending))}</dd>
      </div>
    </dl>
  );
}
