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
import { useLoad } from '../../useLoad';
import { OverviewTable } from './OverviewTable';
import { PayRunDialog } from './PayRunDialog';
import { PayRunList } from './PayRunList';

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
  /** What reordering or the next page ran into (the load's own problem is `loadError`). */
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

  // The period's overview and the pay runs made; a problem with them is shown until they come.
  useEffect(() => setOverview(null), [period]);
  const { error: loadError, reload } = useLoad(async (signal) => {
    try {
      const [found, done] = await Promise.all([
        api.get<Overview>(overviewUrl(period, sort, 0), { signal }),
        api.get<PayRun[]>('/api/payroll/pay-runs', { signal }),
      ]);
      if (signal.aborted) return;
      setOverview(found);
      setRows(found.rows);
      setChosen(found.period);
      setRuns(done);
    } finally {
      if (!signal.aborted) setError(null);
    }
  }, [period]);

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
      else await reload();
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'preview_changed') {
        setPreviewChanged(true);
        await loadPreview();
      } else if (caught instanceof ApiError) setRunError(caught);
    } finally {
      setBusy(false);
    }
  };

  const problem = error ?? loadError;

  const closeDialog = () => {
    setConfirming(false);
    setRunError(null);
    finaliseButton.current?.focus();
  };

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

      {problem && <ProblemAlert error={problem} />}
      {!overview && !problem && (
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

          <PayRunDialog
            dialogRef={dialog}
            overview={overview}
            extra={extra}
            confirming={confirming}
            preview={preview}
            previewChanged={previewChanged}
            runError={runError}
            busy={busy}
            onFinalise={() => void finalise()}
            onClose={closeDialog}
          />

          <OverviewTable
            overview={overview}
            rows={rows}
            sort={sort}
            onSort={sortBy}
            loadingMore={loadingMore}
            onShowMore={() => void showMore()}
          />

          {runs.length > 0 && <PayRunList runs={runs} />}
        </>
      )}
    </div>
  );
}
