import { useEffect, useState } from 'preact/hooks';

import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { formatDate, formatNumber } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { notice } from '../time/common';
import type { LeaveRequestView, VacationBalance } from './model';
import { BalanceFacts } from './parts';

/** "Ledighet": vacation days left, a new application, and my requests with their state. */
export function LeavePage() {
  const t = useT();
  const { data, error } = useLoad(
    (signal) =>
      Promise.all([
        api.get<VacationBalance>('/api/leave/balance', { signal }),
        api.get<LeaveRequestView[]>('/api/leave/requests', { signal }),
      ]),
    [],
  );
  const [balance, requests] = data ?? [null, null];
  const [message] = useState(() => notice.peek());
  useEffect(() => {
    notice.value = null;
  }, []);

  return (
    <div class="stack">
      <PageHeading title={t.leave.title} />
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      {error && <ProblemAlert error={error} />}

      <section class="card" aria-labelledby="leave-balance" aria-busy={balance === null && !error}>
        <h2 id="leave-balance">{balance ? t.leave.balanceHeading(balance.year) : t.leave.balanceTitle}</h2>
        {balance === null && !error && <p class="muted">{t.app.loading}</p>}
        {balance && <BalanceFacts balance={balance} />}
        <p>
          <a class="button button--primary button--block has-icon" href="/leave/new">
            <span aria-hidden="true">+</span>
            {t.leave.apply}
          </a>
        </p>
      </section>

      <section class="card" aria-labelledby="leave-requests" aria-busy={requests === null && !error}>
        <h2 id="leave-requests">{t.leave.requests}</h2>
        {requests === null && !error && <p class="muted">{t.app.loading}</p>}
        {requests?.length === 0 && <p class="muted">{t.leave.noRequests}</p>}
        {requests && requests.length > 0 && (
          <ul class="item-list">
            {requests.map((request) => (
              <li key={request.id} class="item">
                <a class="item__main" href={`/leave/${request.id}`}>
                  <span class="item__title">{request.kind_name}</span>
                  <span class="item__meta">
                    {formatDate(request.first_day, 'medium')} – {formatDate(request.last_day, 'medium')}
                  </span>
                  <span class="item__flags">
                    <StateBadge state={request.state} />
                  </span>
                </a>
                <span class="item__amount">{t.leave.days(formatNumber(request.days))}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
