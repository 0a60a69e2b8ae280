import { useEffect, useState } from 'preact/hooks';

import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { formatDate, formatMoney } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { notice } from '../time/common';
import type { TravelClaimSummary } from './model';

/** "Resor": a new travel claim, and my claims with their state and amount. */
export function TravelPage() {
  const t = useT();
  const { data: claims, error } = useLoad(
    (signal) => api.get<TravelClaimSummary[]>('/api/travel-claims', { signal }),
    [],
  );
  const [message] = useState(() => notice.peek());
  useEffect(() => {
    notice.value = null;
  }, []);

  return (
    <div class="stack">
      <PageHeading title={t.travel.title} />
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      <p>
        <a class="button button--primary button--block has-icon" href="/travel/claims/new">
          <span aria-hidden="true">+</span>
          {t.travel.newClaim}
        </a>
      </p>
      {error && <ProblemAlert error={error} />}
      <section class="card" aria-labelledby="travel-claims" aria-busy={claims === null && !error}>
        <h2 id="travel-claims">{t.travel.claims}</h2>
        {claims === null && !error && <p class="muted">{t.app.loading}</p>}
        {claims?.length === 0 && <p class="muted">{t.travel.noClaims}</p>}
        {claims && claims.length > 0 && (
          <ul class="item-list">
            {claims.map((claim) => (
              <li key={claim.id} class="item">
                <a class="item__main" href={`/travel/claims/${claim.id}`}>
                  <span class="item__title">{claim.destination || t.travel.noDestination}</span>
                  <span class="item__meta">
                    {formatDate(claim.departure_at, 'medium')} – {formatDate(claim.return_at, 'medium')}
                    {claim.purpose && ` · ${claim.purpose}`}
                  </span>
                  <span class="item__flags">
                    <StateBadge state={claim.state} />
                  </span>
                </a>
                <span class="item__amount">{formatMoney(claim.total)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
