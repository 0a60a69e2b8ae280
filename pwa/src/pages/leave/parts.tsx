import { useT } from '../../i18n';
import { formatDate, formatNumber } from '../../i18n/format';
import type { LeaveRequestView, VacationBalance } from './model';

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

/** A request as submitted (read only): the kind of leave, its days, the comment. */
export function RequestFacts({ request }: { request: LeaveRequestView }) {
  const t = useT();
  return (
    <dl class="facts">
      <div>
        <dt>{t.leave.kind}</dt>
        <dd>{request.kind_name}</dd>
      </div>
      <div>
        <dt>{t.leave.firstDay}</dt>
        <dd>{formatDate(request.first_day)}</dd>
      </div>
      <div>
        <dt>{t.leave.lastDay}</dt>
        <dd>{formatDate(request.last_day)}</dd>
      </div>
      <div>
        <dt>{t.leave.workingDays}</dt>
        <dd>{t.leave.days(formatNumber(request.days))}</dd>
      </div>
      {request.comment && (
        <div>
          <dt>{t.leave.comment}</dt>
          <dd>{request.comment}</dd>
        </div>
      )}
    </dl>
  );
}
