import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { intlLocale, useT, type Messages } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import type { Insight, LeadTime } from './model';
import { AttestNav } from './parts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function days(t: Messages, value: string | null): string {
  if (value === null) return t.attest.insight.none;
  return t.attest.insight.days(
    new Intl.NumberFormat(intlLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
      value as Intl.StringNumericLiteral,
    ),
  );
}

function share(t: Messages, value: string | null): string {
  if (value === null) return t.attest.insight.none;
  return new Intl.NumberFormat(intlLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(Number(value));
}

interface Row extends LeadTime {
  key: string;
  label: string;
}

/** Lead time from submission to attest per manager and team: median, 90th percentile, waiting, returned. */
export function InsightPage() {
  const t = useT();
  const { query, route, path } = useLocation();
  const from = query.from && DATE.test(query.from) ? query.from : '';
  const to = query.to && DATE.test(query.to) ? query.to : '';
  const limit = query.limit && /^\d{1,3}$/.test(query.limit) ? query.limit : '7';
  const [form, setForm] = useState({ from, to, limit });

  const { data: insight, error } = useLoad(
    async (signal) => {
      const params = new URLSearchParams({ waiting_limit_days: limit });
      if (from) params.set('from_date', from);
      if (to) params.set('to_date', to);
      const found = await api.get<Insight>(`/api/attest/insight?${params}`, { signal });
      if (!signal.aborted) setForm({ from: found.from_date, to: found.to_date, limit: String(found.waiting_limit_days) });
      return found;
    },
    [from, to, limit],
    { keep: true },
  );

  const apply = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    if (form.from) params.set('from', form.from);
    if (form.to) params.set('to', form.to);
    if (form.limit && form.limit !== '7') params.set('limit', form.limit);
    const text = params.toString();
    route(text ? `${path}?${text}` : path, true);
  };

  const managers: Row[] =
    insight?.by_manager.map((row) => ({
      ...row,
      key: row.manager.id,
      label: row.team ? `${row.manager.name} (${row.team})` : row.manager.name,
    })) ?? [];
  const teams: Row[] = Object.entries(insight?.by_team ?? {}).map(([team, row]) => ({ ...row, key: team, label: team }));

  return (
    <div class="stack">
      <PageHeading title={t.attest.insight.title} />
      <AttestNav />
      <form class="card filters filters--form" onSubmit={apply} aria-labelledby="insight-period">
        <h2 id="insight-period" class="filters__title">
          {t.attest.insight.period}
        </h2>
        <div class="field">
          <label for="insight-from">{t.attest.insight.from}</label>
          <input id="insight-from" type="date" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="insight-to">{t.attest.insight.to}</label>
          <input id="insight-to" type="date" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="insight-limit">{t.attest.insight.limit}</label>
          <input
            id="insight-limit"
            inputMode="numeric"
            value={form.limit}
            onInput={(e) => setForm({ ...form, limit: e.currentTarget.value })}
          />
        </div>
        <button type="submit" class="button button--primary">
          {t.attest.insight.show}
        </button>
      </form>

      {error && <ProblemAlert error={error} />}
      {!insight && !error && (
        <p class="loading" aria-busy="true">
          {t.app.loading}
        </p>
      )}

      {insight && (
        <>
          <section class="card" aria-labelledby="insight-overall">
            <h2 id="insight-overall">
              {t.attest.insight.overall(formatDate(insight.from_date, 'medium'), formatDate(insight.to_date, 'medium'))}
            </h2>
            <dl class="stats">
              <div>
                <dt>{t.attest.insight.median}</dt>
                <dd>{days(t, insight.overall.median_days)}</dd>
              </div>
              <div>
                <dt>{t.attest.insight.p90}</dt>
                <dd>{days(t, insight.overall.p90_days)}</dd>
              </div>
              <div>
                <dt>{t.attest.insight.waiting(insight.waiting_limit_days)}</dt>
                <dd>{insight.overall.waiting_over_limit}</dd>
              </div>
              <div>
                <dt>{t.attest.insight.returned}</dt>
                <dd>{share(t, insight.overall.returned_share)}</dd>
              </div>
              <div>
                <dt>{t.attest.insight.decided}</dt>
                <dd>{insight.overall.decided}</dd>
              </div>
            </dl>
          </section>
          <LeadTimes id="insight-managers" title={t.attest.insight.byManager} who={t.attest.insight.manager} rows={managers} limit={insight.waiting_limit_days} />
          <LeadTimes id="insight-teams" title={t.attest.insight.byTeam} who={t.attest.insight.team} rows={teams} limit={insight.waiting_limit_days} />
        </>
      )}
    </div>
  );
}

/** One group (managers or teams): a bar chart of median and 90th percentile with the values written out, and a table. */
function LeadTimes({ id, title, who, rows, limit }: { id: string; title: string; who: string; rows: Row[]; limit: number }) {
  const t = useT();
  const max = Math.max(1, ...rows.flatMap((row) => [Number(row.median_days ?? 0), Number(row.p90_days ?? 0)]));
  // The longest bar takes 70 % of the width; the rest is room for its value.
  const width = (value: string | null) => `${((Number(value ?? 0) / max) * 70).toFixed(2)}%`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {rows.length === 0 ? (
        <p class="muted">{t.attest.insight.empty}</p>
      ) : (
        <>
          <figure class="chart">
            <figcaption class="chart__legend">
              <span class="chart__key chart__key--median" aria-hidden="true" />
              {t.attest.insight.median}
              <span class="chart__key chart__key--p90" aria-hidden="true" />
              {t.attest.insight.p90}
            </figcaption>
            <ul class="plain-list chart__rows">
              {rows.map((row) => (
                <li key={row.key} class="chart__row">
                  <span class="chart__label">{row.label}</span>
                  <svg
                    class="chart__bars"
                    width="100%"
                    height="52"
                    role="img"
                    aria-label={t.attest.insight.barLabel(row.label, days(t, row.median_days), days(t, row.p90_days))}
                  >
                    <rect class="chart__bar chart__bar--median" x="0" y="4" width={width(row.median_days)} height="20" rx="3" />
                    <text x={width(row.median_days)} dx="6" y="19" class="chart__value">
                      {days(t, row.median_days)}
                    </text>
                    <rect class="chart__bar chart__bar--p90" x="0" y="28" width={width(row.p90_days)} height="20" rx="3" />
                    <text x={width(row.p90_days)} dx="6" y="43" class="chart__value">
                      {days(t, row.p90_days)}
                    </text>
                  </svg>
                </li>
              ))}
            </ul>
          </figure>
          <p class="table-note" id={`${id}-table`}>
            {t.attest.insight.tableCaption(title)}
          </p>
          <div class="table-scroll" role="region" aria-labelledby={`${id}-table`} tabIndex={0}>
            <table class="table" aria-labelledby={`${id}-table`}>
              <thead>
                <tr>
                  <th scope="col">{who}</th>
                  <th scope="col" class="num">{t.attest.insight.median}</th>
                  <th scope="col" class="num">{t.attest.insight.p90}</th>
                  <th scope="col" class="num">{t.attest.insight.waiting(limit)}</th>
                  <th scope="col" class="num">{t.attest.insight.returned}</th>
                  <th scope="col" class="num">{t.attest.insight.decided}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.key}>
                    <th scope="row">{row.label}</th>
                    <td class="num">{days(t, row.median_days)}</td>
                    <td class="num">{days(t, row.p90_days)}</td>
                    <td class="num">{row.waiting_over_limit}</td>
                    <td class="num">{share(t, row.returned_share)}</td>
                    <td class="num">{row.decided}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
