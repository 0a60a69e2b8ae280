import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDateTime, formatPeriod } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import {
  DECISIONS,
  isDecision,
  isKind,
  KINDS,
  type ArchiveItem,
  type EmployeeSummary,
} from './model';
import { AttestNav, canLead, kindName, quantityText, StateBadge } from './parts';

const PAGE = 100;
const PERIOD = /^\d{4}-\d{2}$/;
const UUID = /^[0-9a-f-]{36}$/i;

type Filter = 'kind' | 'employee' | 'period' | 'decision';

/** What has been decided: attested, returned and locked items, searchable by employee, period, kind and decision. */
export function ArchivePage() {
  const t = useT();
  const { query, route, path } = useLocation();
  const kind = isKind(query.kind) ? query.kind : '';
  const decision = isDecision(query.decision) ? query.decision : '';
  const period = query.period && PERIOD.test(query.period) ? query.period : '';
  const employee = query.employee && UUID.test(query.employee) ? query.employee : '';
  const [moreError, setMoreError] = useState<ApiError | null>(null);
  const [periodText, setPeriodText] = useState(period);
  const [periodError, setPeriodError] = useState<string | null>(null);
  const lead = canLead();

  const search = (offset: number) => {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (kind) params.set('kind', kind);
    if (decision) params.set('decision', decision);
    if (period) params.set('period', period);
    if (employee) params.set('employee_id', employee);
    return params;
  };

  const page = (found: ArchiveItem[], before: ArchiveItem[] = []) => ({
    items: [...before, ...found],
    more: found.length === PAGE,
  });
  const loaded = useLoad(
    (signal) => {
      setMoreError(null);
      return api.get<ArchiveItem[]>(`/api/attest/archive?${search(0)}`, { signal }).then((found) => page(found));
    },
    [kind, decision, period, employee],
  );
  const items = loaded.data?.items ?? null;
  const more = loaded.data?.more ?? false;
  const error = loaded.error ?? moreError;
  // The employee filter's choices; without them (refused, offline) the filter just offers everyone.
  const staff = useLoad(
    (signal) => (lead ? api.get<EmployeeSummary[]>('/api/employees?limit=1000', { signal }) : Promise.resolve([])),
    [],
  );
  const people = staff.data ?? [];

  const setFilter = (name: Filter, value: string) => {
    const next: Record<Filter, string> = { kind, employee, period, decision, [name]: value };
    const params = new URLSearchParams();
    for (const [key, val] of Object.entries(next)) if (val) params.set(key, val);
    const text = params.toString();
    route(text ? `${path}?${text}` : path, true);
  };

  const loadMore = async () => {
    if (!items) return;
    setMoreError(null);
    try {
      const found = await api.get<ArchiveItem[]>(`/api/attest/archive?${search(items.length)}`);
      loaded.setData(page(found, items));
    } catch (caught) {
      if (caught instanceof ApiError) setMoreError(caught);
    }
  };

  const applyPeriod = (value: string) => {
    setPeriodText(value);
    if (value && !PERIOD.test(value)) {
      setPeriodError(t.attest.archive.periodInvalid);
      return;
    }
    setPeriodError(null);
    setFilter('period', value);
  };

  return (
    <div class="stack">
      <PageHeading title={t.attest.archive.title} />
      <AttestNav />
      <section class="card" aria-labelledby="archive-filters">
        <h2 id="archive-filters">{t.attest.archive.filters}</h2>
        <div class="filters">
          {lead && (
            <div class="field">
              <label for="archive-employee">{t.attest.archive.employee}</label>
              <select id="archive-employee" value={employee} onChange={(event) => setFilter('employee', event.currentTarget.value)}>
                <option value="">{t.attest.archive.allEmployees}</option>
                {people.map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="field">
            <label for="archive-period">{t.attest.archive.period}</label>
            <input
              id="archive-period"
              type="month"
              value={periodText}
              placeholder="2026-11"
              aria-describedby={periodError ? 'archive-period-hint archive-period-error' : 'archive-period-hint'}
              aria-invalid={periodError ? 'true' : undefined}
              onChange={(event) => applyPeriod(event.currentTarget.value.trim())}
            />
            <p class="field__hint" id="archive-period-hint">
              {t.attest.archive.periodHint}
            </p>
            {periodError && (
              <p class="field__error" id="archive-period-error">
                {periodError}
              </p>
            )}
          </div>
          <div class="field">
            <label for="archive-kind">{t.attest.filters.kind}</label>
            <select id="archive-kind" value={kind} onChange={(event) => setFilter('kind', event.currentTarget.value)}>
              <option value="">{t.attest.filters.allKinds}</option>
              {KINDS.map((value) => (
                <option key={value} value={value}>
                  {kindName(t, value)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="archive-decision">{t.attest.archive.decision}</label>
            <select id="archive-decision" value={decision} onChange={(event) => setFilter('decision', event.currentTarget.value)}>
              <option value="">{t.attest.archive.allDecisions}</option>
              {DECISIONS.map((value) => (
                <option key={value} value={value}>
                  {t.attest.states[value]}
                </option>
              ))}
            </select>
          </div>
        </div>
        {(kind || decision || period || employee) && (
          <p>
            <a href={path} onClick={() => setPeriodText('')}>
              {t.attest.archive.clear}
            </a>
          </p>
        )}
      </section>

      {error && <ProblemAlert error={error} />}

      <section class="card" aria-labelledby="archive-results" aria-busy={items === null && !error}>
        <h2 id="archive-results">{t.attest.archive.results(items?.length ?? null, more)}</h2>
        {items === null && !error && <p class="muted">{t.app.loading}</p>}
        {items?.length === 0 && <p class="muted">{t.attest.archive.empty}</p>}
        {items && items.length > 0 && (
          <ul class="item-list">
            {items.map((item) => (
              <li key={item.id} class="item">
                <a class="item__main" href={`/attest/items/${item.id}`}>
                  <span class="item__title">{item.employee.name}</span>
                  <span class="item__meta">
                    <span class="kind-tag">{kindName(t, item.kind)}</span> {item.title}
                  </span>
                  <span class="item__meta">
                    {item.decided_at &&
                      t.attest.archive.decidedBy(formatDateTime(item.decided_at), item.decided_by ?? t.attest.item.system)}
                    {item.on_behalf_of && ` ${t.attest.item.onBehalfOf(item.on_behalf_of.name)}`}
                    {item.pay_period && ` · ${t.attest.archive.payPeriod(formatPeriod(item.pay_period))}`}
                  </span>
                  {item.return_reason && <span class="item__meta">{t.attest.item.reason(item.return_reason)}</span>}
                  <span class="item__flags">
                    <StateBadge state={item.state} />
                  </span>
                </a>
                <span class="item__amount">{quantityText(t, item)}</span>
              </li>
            ))}
          </ul>
        )}
        {more && (
          <p>
            <button type="button" class="button button--secondary" onClick={() => void loadMore()}>
              {t.attest.archive.more}
            </button>
          </p>
        )}
      </section>
    </div>
  );
}
