import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError, type Problem } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDate, formatDateTime, formatMoney, formatPeriod } from '../../i18n/format';
import {
  PERIOD,
  type Overview,
  type OverviewRow,
  type OverviewSort,
  type PayRun,
  type PayRunPreview,
  type PayRunRequest,
  type SortDirection,
} from '../payslip/model';
import { Icon } from '../../components/Icon';

type Column = OverviewSort;
type Direction = SortDirection;

/** Rows per request: a large organisation's overview comes a page at a time, sorted by the server. */
const PAGE = 100;
/** How often the page asks again while the server's job makes the pay run. */
const RUN_POLL_MS = 1000;

/**
 * A pay run is made by a job on the server: ask until it is paid (the run) or refused (thrown as its
 * problem). Leaving the page stops the asking (`signal`); the job goes on and the overview shows it.
 */
async function paidRun(asked: PayRunRequest, unexpected: Problem, signal: AbortSignal): Promise<PayRun> {
  let request = asked;
  while (request.state === 'waiting') {
    await new Promise((resolve) => window.setTimeout(resolve, RUN_POLL_MS));
    signal.throwIfAborted();
    request = await api.get<PayRunRequest>(`/api/payroll/pay-runs/requests/${request.id}`, { signal });
  }
  if (request.pay_run) return request.pay_run;
  throw new ApiError(request.problem ?? unexpected);
}

function overviewUrl(period: string | null, sort: { column: Column; direction: Direction }, offset: number, snapshot?: string | null) {
  const query = new URLSearchParams({ sort: sort.column, direction: sort.direction, offset: String(offset), limit: String(PAGE) });
  if (period) query.set('period', period);
  if (snapshot) query.set('snapshot', snapshot);
  return `/api/payroll/overview?${query.toString()}`;
}

/** Payroll's view of the period: everyone's preliminary pay, what is pending, warnings; finalising the pay run. */
export function PayrollPage() {
  const t = useT();
  const { query, route, path } = useLocation();
  const period = query.period && PERIOD.test(query.period) ? query.period : null;
  const [overview, setOverview] = useState<Overview | null>(null);
  const [rows, setRows] = useState<OverviewRow[]>([]);
  const [loadingMore, setLoadingMore] = useState(false);
  const [runs, setRuns] = useState<PayRun[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [sort, setSort] = useState<{ column: Column; direction: Direction }>({ column: 'warnings', direction: 'descending' });
  const [chosen, setChosen] = useState(period ?? '');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [runError, setRunError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [preview, setPreview] = useState<PayRunPreview | null>(null);
  const [previewChanged, setPreviewChanged] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const finaliseButton = useRef<HTMLButtonElement>(null);

  const load = async (signal?: AbortSignal) => {
    const options = signal ? { signal } : {};
    try {
      const [found, done] = await Promise.all([
        api.get<Overview>(overviewUrl(period, sort, 0), options),
        api.get<PayRun[]>('/api/payroll/pay-runs', options),
      ]);
      setOverview(found);
      setRows(found.rows);
      setChosen(found.period);
      setRuns(done);
      setError(null);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    }
  };

  /** The first page in another order, from the same figures (the snapshot); shown once it has come. */
  const reorder = async (next: { column: Column; direction: Direction }) => {
    if (!overview) return;
    try {
      const found = await api.get<Overview>(overviewUrl(period, next, 0, overview.snapshot));
      setOverview(found);
      setRows(found.rows);
      setSort(next);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    }
  };

  /** The next page; when the figures were computed anew meanwhile, their first page replaces the rows. */
  const showMore = async () => {
    if (!overview || loadingMore) return;
    setLoadingMore(true);
    try {
      const found = await api.get<Overview>(overviewUrl(period, sort, rows.length, overview.snapshot));
      if (found.snapshot === overview.snapshot) {
        setRows([...rows, ...found.rows]);
      } else {
        const fresh = await api.get<Overview>(overviewUrl(period, sort, 0, found.snapshot));
        setOverview(fresh);
        setRows(fresh.rows);
      }
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    } finally {
      setLoadingMore(false);
    }
  };

  /** Asking after a pay run being made; aborted when the page goes away. */
  const polling = useRef(new AbortController());
  useEffect(() => () => polling.current.abort(), []);

  useEffect(() => {
    const abort = new AbortController();
    setOverview(null);
    void load(abort.signal);
    return () => abort.abort();
  }, [period]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (confirming && !element.open) element.showModal();
    if (!confirming && element.open) element.close();
  }, [confirming]);

  const showPeriod = (event: Event) => {
    event.preventDefault();
    setMessage(null);
    route(chosen && PERIOD.test(chosen) ? `${path}?period=${chosen}` : path, true);
  };

  const sortBy = (column: Column) =>
    void reorder({
      column,
      direction:
        sort.column === column
          ? sort.direction === 'ascending'
            ? 'descending'
            : 'ascending'
          : column === 'name'
            ? 'ascending'
            : 'descending',
    });

  const thisPeriodRuns = overview ? runs.filter((run) => run.period === overview.period) : [];
  const extra = thisPeriodRuns.length > 0;

  /** Exactly who and what the run would pay, computed by the server's finalising code; the dialog shows this. */
  const loadPreview = async () => {
    if (!overview) return;
    setPreview(null);
    try {
      setPreview(await api.get<PayRunPreview>(`/api/payroll/pay-runs/preview?period=${overview.period}&extra=${extra}`));
    } catch (caught) {
      if (caught instanceof ApiError) setRunError(caught);
    }
  };

  const openConfirm = () => {
    setRunError(null);
    setPreviewChanged(false);
    setConfirming(true);
    void loadPreview();
  };

  const finalise = async () => {
    if (!overview || !preview || preview.employees === 0 || busy) return;
    setBusy(true);
    setRunError(null);
    try {
      const run = await paidRun(
        await api.post<PayRunRequest>('/api/payroll/pay-runs', {
          period: preview.period,
          extra: preview.extra,
          preview: preview.fingerprint,
        }),
        { title: t.errors.unexpected, detail: t.errors.unexpectedDetail, status: 500, code: 'unexpected' },
        polling.current.signal,
      );
      setConfirming(false);
      setMessage(t.payroll.finalised(formatPeriod(run.period), run.employees, run.locked_items));
      if (period) route(path, true);
      else await load();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'preview_changed') {
        setPreviewChanged(true);
        await loadPreview();
      } else if (caught instanceof ApiError) setRunError(caught);
    } finally {
      setBusy(false);
    }
  };

  const closeDialog = () => {
    setConfirming(false);
    setRunError(null);
    finaliseButton.current?.focus();
  };

  const header = (column: Column, label: string, numeric = false) => (
    <th scope="col" class={numeric ? 'num' : undefined} aria-sort={sort.column === column ? sort.direction : undefined}>
      <button type="button" class="sort-button" onClick={() => sortBy(column)}>
        {label}
        <span aria-hidden="true" class="sort-button__arrow">
          {sort.column === column ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );

  return (
    <div class="stack">
      <PageHeading title={t.payroll.title} />
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      <form class="card filters filters--form" onSubmit={showPeriod} aria-labelledby="payroll-period-heading">
        <h2 id="payroll-period-heading" class="filters__title">
          {t.payroll.period}
        </h2>
        <div class="field">
          <label for="payroll-period">{t.payroll.periodLabel}</label>
          <input id="payroll-period" type="month" value={chosen} onInput={(event) => setChosen(event.currentTarget.value)} />
        </div>
        <button type="submit" class="button button--secondary">
          {t.payroll.show}
        </button>
      </form>

      {error && <ProblemAlert error={error} />}
      {!overview && !error && (
        <p class="loading" aria-busy="true">
          {t.app.loading}
        </p>
      )}

      {overview && (
        <>
          {(overview.warnings ?? []).map((warning) => (
            <p key={warning.code} class="alert alert--warning">
              {warning.message}
            </p>
          ))}
          <section class="card" aria-labelledby="payroll-totals">
            <h2 id="payroll-totals">{t.payroll.totals(formatPeriod(overview.period))}</h2>
            <p class="muted">
              {t.payroll.dates(formatDate(overview.cut_off, 'medium'), formatDate(overview.pay_date, 'medium'))}
              {!extra && !overview.finalised && ` · ${t.payroll.preliminary}`}
              {overview.finalised && ` · ${t.payroll.paidFigures}`}
            </p>
            <dl class="stats">
              <div>
                <dt>{t.payroll.employees}</dt>
                <dd>{overview.employees}</dd>
              </div>
              <div>
                <dt>{t.payroll.gross}</dt>
                <dd>{formatMoney(overview.gross_pay)}</dd>
              </div>
              <div>
                <dt>{t.payroll.tax}</dt>
                <dd>{formatMoney(overview.tax)}</dd>
              </div>
              <div>
                <dt>{t.payroll.net}</dt>
                <dd>{formatMoney(overview.net_pay)}</dd>
              </div>
              <div>
                <dt>{t.payroll.contributions}</dt>
                <dd>{formatMoney(overview.employer_contributions)}</dd>
              </div>
              <div>
                <dt>{t.payroll.pending}</dt>
                <dd>{overview.pending_items}</dd>
              </div>
              <div>
                <dt>{t.payroll.withWarnings}</dt>
                <dd>{overview.with_warnings}</dd>
              </div>
            </dl>
          </section>

          <section class="card" aria-labelledby="payroll-run">
            <h2 id="payroll-run">{t.payroll.runHeading}</h2>
            {extra ? (
              <p>
                {t.payroll.alreadyDone(
                  formatPeriod(overview.period),
                  formatDateTime(thisPeriodRuns[thisPeriodRuns.length - 1]?.finalised_at ?? ''),
                )}
              </p>
            ) : (
              <p>{t.payroll.runHint}</p>
            )}
            {overview.pending_items > 0 && <p class="flag flag--warning">{t.payroll.pendingWarning(overview.pending_items)}</p>}
            <button
              type="button"
              ref={finaliseButton}
              class={extra ? 'button button--secondary' : 'button button--primary'}
              onClick={openConfirm}
            >
              {extra ? t.payroll.extraRun(formatPeriod(overview.period)) : t.payroll.finalise(formatPeriod(overview.period))}
            </button>
          </section>

          <dialog
            ref={dialog}
            class="dialog"
            aria-labelledby="payroll-confirm-title"
            aria-describedby="payroll-confirm-body"
            onClose={() => confirming && closeDialog()}
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
                onClick={() => void finalise()}
              >
                {busy ? t.payroll.finalising : t.payroll.confirm}
              </button>
              <button type="button" class="button button--secondary" onClick={closeDialog}>
                {t.payroll.cancel}
              </button>
            </div>
          </dialog>

          <section class="card" aria-labelledby="payroll-employees">
            <h2 id="payroll-employees">{t.payroll.employeesHeading}</h2>
            <p class="table-note" id="payroll-table-caption">
              {t.payroll.caption(formatPeriod(overview.period))}
            </p>
            <div class="table-scroll" role="region" aria-labelledby="payroll-table-caption" tabIndex={0}>
              <table class="table table--overview" aria-labelledby="payroll-table-caption">
                <thead>
                  <tr>
                    {header('name', t.payroll.employee)}
                    {header('gross', t.payroll.gross, true)}
                    {header('tax', t.payroll.tax, true)}
                    {header('net', t.payroll.net, true)}
                    {header('pending', t.payroll.pendingShort, true)}
                    {header('warnings', t.payroll.warnings)}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.employee_id} class={row.warnings.length ? 'row--warning' : undefined}>
                      <th scope="row">
                        <a href={`/payslip?employee=${row.employee_id}&period=${overview.period}`}>{row.employee_name}</a>
                        <span class="muted table__sub">{row.employee_number}</span>
                      </th>
                      <td class="num">{formatMoney(row.gross_pay)}</td>
                      <td class="num">{formatMoney(row.tax)}</td>
                      <td class="num">{formatMoney(row.net_pay)}</td>
                      <td class="num">
                        {row.pending_items}
                        {row.pending_amount !== '0.00' && <span class="muted table__sub">{formatMoney(row.pending_amount)}</span>}
                      </td>
                      <td>
                        {row.warnings.length === 0 ? (
                          <span class="muted">{t.payroll.noWarnings}</span>
                        ) : (
                          <ul class="plain-list warning-cell">
                            {row.warnings.map((warning) => (
                              <li key={warning.code}>
                                <Icon name="warning" />{' '}
                                {warning.message}
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {rows.length < overview.employees && (
              <div class="button-row">
                <p class="muted" role="status">
                  {t.payroll.shownOf(rows.length, overview.employees)}
                </p>
                <button type="button" class="button button--secondary" aria-disabled={loadingMore} onClick={() => void showMore()}>
                  {loadingMore ? t.payroll.loadingMore : t.payroll.showMore}
                </button>
              </div>
            )}
          </section>

          {runs.length > 0 && (
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
          )}
        </>
      )}
    </div>
  );
}
