import { useState } from 'preact/hooks';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { useLoad } from '../../useLoad';
import { STATUSES, type CaseList, type CaseStatus } from './model';
import { CaseRow } from './parts';

const PAGE = 50;
type StatusFilter = 'open' | 'all' | CaseStatus;
type OwnerFilter = '' | 'me' | 'none';

/** Payroll's case inbox (desktop first): every case of the organisation, soonest due first. */
export function CaseInboxPage() {
  const t = useT();
  const [status, setStatus] = useState<StatusFilter>('open');
  const [owner, setOwner] = useState<OwnerFilter>('');
  const [overdue, setOverdue] = useState(false);
  const [moreError, setMoreError] = useState<ApiError | null>(null);

  const query = (offset: number) => {
    const params = new URLSearchParams({ view: 'all', limit: String(PAGE), offset: String(offset) });
    const statuses = status === 'all' ? [] : status === 'open' ? ['new', 'in_progress', 'answered'] : [status];
    for (const one of statuses) params.append('status', one);
    if (owner) params.set('owner', owner);
    if (overdue) params.set('overdue', 'true');
    return `/api/cases?${params.toString()}`;
  };

  const loaded = useLoad(
    (signal) => {
      setMoreError(null);
      return api.get<CaseList>(query(0), { signal });
    },
    [status, owner, overdue],
    { keep: true },
  );
  const { data: list, setData: setList } = loaded;
  const error = loaded.error ?? moreError;

  const more = async () => {
    if (!list) return;
    setMoreError(null);
    try {
      const next = await api.get<CaseList>(query(list.items.length));
      setList({ ...next, items: [...list.items, ...next.items] });
    } catch (caught) {
      if (caught instanceof ApiError) setMoreError(caught);
    }
  };

  return (
    <div class="stack">
      <PageHeading title={t.cases.inboxTitle} />
      <form class="filters filters--form" aria-label={t.cases.filter} onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="case-status">{t.cases.filterStatus}</label>
          <select id="case-status" value={status} onChange={(event) => setStatus(event.currentTarget.value as StatusFilter)}>
            <option value="open">{t.cases.open}</option>
            <option value="all">{t.cases.all}</option>
            {STATUSES.map((one) => (
              <option key={one} value={one}>
                {t.cases.statuses[one]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="case-owner">{t.cases.filterOwner}</label>
          <select id="case-owner" value={owner} onChange={(event) => setOwner(event.currentTarget.value as OwnerFilter)}>
            <option value="">{t.cases.all}</option>
            <option value="me">{t.cases.mine}</option>
            <option value="none">{t.cases.unassigned}</option>
          </select>
        </div>
        <label class="choice">
          <input type="checkbox" checked={overdue} onChange={(event) => setOverdue(event.currentTarget.checked)} />
          {t.cases.filterOverdue}
        </label>
      </form>
      {error && <ProblemAlert error={error} />}
      <section class="card" aria-labelledby="case-list" aria-busy={list === null && !error}>
        <h2 id="case-list">{list ? t.cases.count(list.items.length, list.total) : t.cases.inboxTitle}</h2>
        {list === null && !error && <p class="muted">{t.app.loading}</p>}
        {list?.items.length === 0 && <p class="muted">{t.cases.inboxEmpty}</p>}
        {list && list.items.length > 0 && (
          <ul class="item-list">
            {list.items.map((summary) => (
              <CaseRow key={summary.id} summary={summary} showReporter />
            ))}
          </ul>
        )}
        {list && list.items.length < list.total && (
          <button type="button" class="button button--secondary" onClick={() => void more()}>
            {t.cases.more}
          </button>
        )}
      </section>
    </div>
  );
}
