import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDate, formatDateTime, formatHours, formatMoney, formatPeriod } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { ReportError } from '../cases/ReportError';
import { batchFile, type ExportBatch, type ExportRows, type PeriodView } from './exports-model';

const YEAR = /^\d{4}$/;
/** How often the page asks again while a close job is making an export. */
const CLOSING_POLL_MS = 2000;

type Action = { kind: 'close' | 'reopen'; period: PeriodView };

/** Payroll's periods: what is still waiting, closing after the cut-off, and the export batches to download. */
export function PeriodsPage() {
  const t = useT();
  const { query, path } = useLocation();
  const year = query.year && YEAR.test(query.year) ? query.year : null;
  const {
    data: periods,
    error,
    loading,
    reload,
    setData: setPeriods,
  } = useLoad(async (signal) => {
    const found = await api.get<PeriodView[]>(`/api/payroll/periods${year ? `?year=${year}` : ''}`, { signal });
    return [...found].sort((a, b) => b.period.localeCompare(a.period));
  }, [year]);
  const [action, setAction] = useState<Action | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [watched, setWatched] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);

  // A close is a job on the server: while a period is closing, ask again (a while after each answer)
  // until it is closed or refused.
  const closing = periods?.some((period) => period.state === 'closing') ?? false;
  useEffect(() => {
    if (!closing || loading) return;
    const timer = window.setTimeout(reload, CLOSING_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [closing, loading]);

  useEffect(() => {
    const done = watched ? periods?.find((period) => period.period === watched) : undefined;
    if (!done || done.state === 'closing') return;
    setWatched(null);
    // Refused: the period's card shows why (close_problem).
    setMessage(done.state === 'closed' ? t.periods.closed(formatPeriod(done.period), done.batches.at(-1)?.items ?? 0) : null);
  }, [periods, watched]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (action && !element.open) element.showModal();
    if (!action && element.open) element.close();
  }, [action]);

  const shownYear = Number(year ?? periods?.[0]?.period.slice(0, 4) ?? new Date().getFullYear());

  const open = (next: Action) => {
    setActionError(null);
    setReason('');
    setMessage(null);
    setAction(next);
  };

  const carryOut = async () => {
    if (!action || busy) return;
    setBusy(true);
    setActionError(null);
    const name = formatPeriod(action.period.period);
    try {
      if (action.kind === 'close') {
        const asked = await api.post<PeriodView>(`/api/payroll/periods/${action.period.period}/close`);
        // Shown as closing at once (with what is watched), so the outcome is judged from the new state only.
        setPeriods((current) => current?.map((period) => (period.period === asked.period ? asked : period)) ?? current);
        setMessage(t.periods.closing(name));
        setWatched(asked.period);
      } else {
        await api.post<PeriodView>(`/api/payroll/periods/${action.period.period}/reopen`, { reason });
        setMessage(t.periods.reopened(name));
      }
      setAction(null);
      reload();
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="stack">
      <PageHeading title={t.periods.title} />
      <nav class="button-row" aria-label={t.periods.years}>
        <a class="button button--secondary" href={`${path}?year=${shownYear - 1}`}>
          {shownYear - 1}
        </a>
        <span class="muted">{shownYear}</span>
        <a class="button button--secondary" href={`${path}?year=${shownYear + 1}`}>
          {shownYear + 1}
        </a>
        <a class="button button--secondary" href="/payroll/export-settings">
          {t.periods.settings}
        </a>
      </nav>
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      {error && <ProblemAlert error={error} />}
      {!periods && !error && (
        <p class="loading" aria-busy="true">
          {t.app.loading}
        </p>
      )}
      {periods?.length === 0 && <p class="card">{t.periods.none}</p>}
      {periods?.map((period) => (
        <PeriodCard key={period.period} period={period} onAction={open} />
      ))}

      <dialog
        ref={dialog}
        class="dialog"
        aria-labelledby="period-action-title"
        onClose={() => action && setAction(null)}
      >
        {action && (
          <>
            <h2 id="period-action-title">
              {action.kind === 'close'
                ? t.periods.confirmClose(formatPeriod(action.period.period))
                : t.periods.confirmReopen(formatPeriod(action.period.period))}
            </h2>
            {action.kind === 'close' ? (
              <>
                <p>{t.periods.closeBody(action.period.ready)}</p>
                {action.period.waiting.submitted + action.period.waiting.returned > 0 && (
                  <p class="flag flag--warning">
                    {t.periods.waitingWarning(action.period.waiting.submitted + action.period.waiting.returned)}
                  </p>
                )}
              </>
            ) : (
              <div class="field">
                <label for="reopen-reason">{t.periods.reason}</label>
                <textarea id="reopen-reason" rows={3} maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
                <p class="hint">{t.periods.reopenHint}</p>
              </div>
            )}
            {actionError && <ProblemAlert error={actionError} listErrors />}
            <div class="button-row">
              <button type="button" class="button button--primary" aria-disabled={busy} onClick={() => void carryOut()}>
                {busy ? t.periods.working : action.kind === 'close' ? t.periods.close : t.periods.reopen}
              </button>
              <button type="button" class="button button--secondary" onClick={() => setAction(null)}>
                {t.payroll.cancel}
              </button>
            </div>
          </>
        )}
      </dialog>
    </div>
  );
}

function PeriodCard({ period, onAction }: { period: PeriodView; onAction: (action: Action) => void }) {
  const t = useT();
  const name = formatPeriod(period.period);
  const waiting = period.waiting.submitted + period.waiting.returned;
  const headingId = `period-${period.period}`;
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        {name}{' '}
        <span class={`badge ${period.state === 'open' ? 'badge--submitted' : 'badge--locked'}`}>
          {period.state === 'closed' ? t.periods.stateClosed : period.state === 'closing' ? t.periods.stateClosing : t.periods.stateOpen}
        </span>
      </h2>
      <p class="muted">
        {t.payroll.dates(formatDate(period.cutoff, 'medium'), formatDate(period.pay_date, 'medium'))}
        {period.closed_at && ` · ${t.periods.closedBy(formatDateTime(period.closed_at), period.closed_by ?? '')}`}
      </p>
      <dl class="stats">
        <div>
          <dt>{t.periods.waiting}</dt>
          <dd>{waiting}</dd>
        </div>
        <div>
          <dt>{t.periods.ready}</dt>
          <dd>{period.ready}</dd>
        </div>
        <div>
          <dt>{t.periods.batches}</dt>
          <dd>{period.batches.length}</dd>
        </div>
      </dl>
      {period.close_problem && (
        <div class="stack">
          <p>{t.periods.closeRefused(name)}</p>
          <ProblemAlert error={new ApiError(period.close_problem)} listErrors />
        </div>
      )}
      {waiting > 0 && <WaitingItems period={period.period} />}
      <div class="button-row">
        {period.closable && (
          <button type="button" class="button button--primary" onClick={() => onAction({ kind: 'close', period })}>
            {t.periods.closeButton(name)}
          </button>
        )}
        {period.state === 'open' && !period.closable && <p class="muted">{t.periods.notYet(formatDate(period.cutoff, 'medium'))}</p>}
        {period.state === 'closed' && (
          <button type="button" class="button button--secondary" onClick={() => onAction({ kind: 'reopen', period })}>
            {t.periods.reopenButton(name)}
          </button>
        )}
      </div>
      {period.batches.length > 0 && (
        <ul class="item-list" aria-label={t.periods.batchesOf(name)}>
          {period.batches.map((batch) => (
            <BatchRow key={batch.id} batch={batch} />
          ))}
        </ul>
      )}
    </section>
  );
}

function BatchRow({ batch }: { batch: ExportBatch }) {
  const t = useT();
  const number = `${batch.period}-${batch.sequence}`;
  return (
    <li class="item">
      <span class="item__main">
        <span class="item__title">{t.periods.batchTitle(batch.sequence)}</span>
        <span class="item__meta">
          {t.periods.batchMeta(formatDateTime(batch.created_at), batch.created_by ?? '', batch.items, batch.transactions)}
          {batch.reversals > 0 && ` · ${t.periods.reversals(batch.reversals)}`}
        </span>
        <span class="button-row">
          <a class="button button--secondary" href={batchFile(batch, 'paxml')} download={`paxml-${number}.xml`}>
            {t.periods.downloadPaxml}
          </a>
          <a class="button button--secondary" href={batchFile(batch, 'sie')} download={`sie-${number}.se`}>
            {t.periods.downloadSie}
          </a>
        </span>
        <BatchRows batch={batch} />
      </span>
      <span class="item__amount">{formatMoney(batch.total_amount)}</span>
    </li>
  );
}

/** What still waits for attest in the period, read when opened (a period may have many). */
function WaitingItems({ period }: { period: string }) {
  const t = useT();
  const [detail, setDetail] = useState<PeriodView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState(false);
  const toggle = async (event: Event) => {
    setOpen((event.currentTarget as HTMLDetailsElement).open);
    if (!(event.currentTarget as HTMLDetailsElement).open || detail) return;
    try {
      setDetail(await api.get<PeriodView>(`/api/payroll/periods/${period}`));
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    }
  };
  return (
    <details class="disclosure" onToggle={(event) => void toggle(event)}>
      <summary>{t.periods.showWaiting}</summary>
      {error && <ProblemAlert error={error} />}
      {open && !detail && !error && <p class="loading">{t.app.loading}</p>}
      {detail && (
        <ul class="plain-list">
          {(detail.waiting_items ?? []).map((item) => (
            <li key={item.id}>
              <a href={`/attest/items/${item.id}`}>{item.title}</a> · {item.employee} ·{' '}
              {item.state === 'returned' ? t.periods.returnedState : t.periods.submittedState}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}

const ROWS_PAGE = 50;

/** The batch's transactions, a page at a time, each with "Felanmäl" (an error report on an export row). */
function BatchRows({ batch }: { batch: ExportBatch }) {
  const t = useT();
  const [rows, setRows] = useState<ExportRows | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState(false);
  const load = async (offset: number) => {
    try {
      const page = await api.get<ExportRows>(`/api/payroll/export-batches/${batch.id}/rows?offset=${offset}&limit=${ROWS_PAGE}`);
      setRows((current) => (current && offset > 0 ? { ...page, rows: [...current.rows, ...page.rows] } : page));
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    }
  };
  const toggle = (event: Event) => {
    setOpen((event.currentTarget as HTMLDetailsElement).open);
    if ((event.currentTarget as HTMLDetailsElement).open && !rows) void load(0);
  };
  return (
    <details class="disclosure" onToggle={toggle}>
      <summary>{t.periods.showRows(batch.transactions)}</summary>
      {error && <ProblemAlert error={error} />}
      {open && !rows && !error && <p class="loading">{t.app.loading}</p>}
      {rows && (
        <div class="table-scroll" role="region" aria-label={t.periods.rowsOf(batch.sequence)} tabIndex={0}>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t.periods.rowEmployee}</th>
                <th scope="col">{t.periods.rowCode}</th>
                <th scope="col">{t.periods.rowDay}</th>
                <th scope="col" class="num">
                  {t.periods.rowFigure}
                </th>
                <th scope="col">{t.periods.rowItem}</th>
              </tr>
            </thead>
            <tbody>
              {rows.rows.map((row) => (
                <tr key={row.position}>
                  <th scope="row">
                    {row.employee}
                    <span class="muted table__sub">{row.employee_number}</span>
                  </th>
                  <td>
                    {row.code} → {row.pay_type}
                    {row.reversal && <span class="muted table__sub">{t.periods.reversal}</span>}
                  </td>
                  <td>{formatDate(row.day, 'medium')}</td>
                  <td class="num">
                    {row.amount !== null ? formatMoney(row.amount) : row.hours !== null ? `${formatHours(row.hours)} ${t.time.hoursUnit}` : ''}
                  </td>
                  <td>
                    {row.item_title ?? row.text}
                    <ReportError
                      subject={{ subject_kind: 'export_row', export_batch_id: batch.id, export_row: row.position }}
                      about={`${row.employee}, ${row.code}, ${row.day}`}
                      id={`report-${batch.id}-${row.position}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.rows.length < rows.total && (
            <button type="button" class="button button--secondary" onClick={() => void load(rows.rows.length)}>
              {t.periods.moreRows}
            </button>
          )}
        </div>
      )}
    </details>
  );
}
