import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError, newId } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { formatDate, formatDateTime, formatMoney } from '../../i18n/format';
import {
  flash,
  isReading,
  sumMoney,
  type ClaimSummary,
  type ClaimView,
  type ExpenseView,
} from './model';
import { amountText, CaptureButtons, expenseLabel, expenseName } from './parts';
import { onSent } from '../../offline/outbox';
import { OutboxList } from '../../offline/OutboxList';
import { PendingUploads } from './PendingUploads';
import { onArrived, resumeUploads } from './uploads';
import { Icon } from '../../components/Icon';
import { useLoad } from '../../useLoad';

/** "Utlägg": new receipt, the drafts (to gather into a claim) and the claims with their state. */
export function ExpensesPage() {
  const t = useT();
  const { route } = useLocation();
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<ApiError | string | null>(null);
  const [message] = useState(() => flash.peek());
  const claimId = useRef<string | null>(null);

  const { data, error, reload } = useLoad(async (signal) => {
    const [expenses, claimList] = await Promise.all([
      api.get<ExpenseView[]>('/api/expenses?unclaimed=true', { signal }),
      api.get<ClaimSummary[]>('/api/expense-claims', { signal }),
    ]);
    if (!signal.aborted) setSelected((current) => current.filter((id) => expenses.some((expense) => expense.id === id)));
    return { drafts: expenses, claims: claimList };
  }, []);
  const drafts = data?.drafts ?? null;
  const claims = data?.claims ?? null;

  useEffect(() => {
    flash.value = null;
    void resumeUploads();
    const stop = onArrived(() => reload());
    const stopSent = onSent((item) => {
      if (item.kind === 'expense') reload();
    });
    return () => {
      stop();
      stopSent();
    };
  }, []);

  // While a receipt is being read, its draft shows "Läser kvittot…": look again shortly.
  useEffect(() => {
    if (!drafts?.some((expense) => isReading(expense.receipt))) return;
    const timer = setTimeout(reload, 3000);
    return () => clearTimeout(timer);
  }, [drafts]);

  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current, id]));

  const createClaim = async () => {
    if (creating) return;
    if (!selected.length) {
      setCreateError(t.expenses.selectFirst);
      return;
    }
    setCreating(true);
    setCreateError(null);
    // One id per claim being created: a retry after a lost answer changes the same claim.
    claimId.current ??= newId();
    try {
      // No title: the server names the claim after its merchants and dates, or the trip they belong to.
      const claim = await api.put<ClaimView>(`/api/expense-claims/${claimId.current}`, { expense_ids: selected });
      claimId.current = null;
      route(`/expenses/claims/${claim.id}`);
    } catch (caught) {
      setCreateError(caught instanceof ApiError ? caught : t.errors.unexpected);
      setCreating(false);
    }
  };

  const chosen = drafts?.filter((expense) => selected.includes(expense.id)) ?? [];

  return (
    <div class="stack">
      <PageHeading title={t.expenses.title} />
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}

      <section class="card capture-card">
        <CaptureButtons />
        <p class="capture-card__more">
          <a href="/expenses/new">{t.expenses.moreWays}</a>
        </p>
      </section>

      <PendingUploads />
      <OutboxList kinds={['expense']} heading={t.offline.title} />

      {error && <ProblemAlert error={error} />}

      <section class="card" aria-labelledby="expenses-drafts" aria-busy={drafts === null && !error}>
        <h2 id="expenses-drafts">{t.expenses.drafts}</h2>
        {drafts === null && !error && <p class="muted">{t.app.loading}</p>}
        {drafts?.length === 0 && <p class="muted">{t.expenses.noDrafts}</p>}
        {drafts && drafts.length > 0 && (
          <>
            <p class="muted" id="expenses-select-hint">
              {t.expenses.selectHint}
            </p>
            <ul class="item-list">
              {drafts.map((expense) => (
                <li key={expense.id} class="item">
                  <label class="item__check">
                    <input
                      type="checkbox"
                      checked={selected.includes(expense.id)}
                      onChange={() => toggle(expense.id)}
                      aria-describedby="expenses-select-hint"
                    />
                    <span class="visually-hidden">{t.expenses.select(expenseLabel(t, expense))}</span>
                  </label>
                  <a class="item__main" href={`/expenses/${expense.id}`}>
                    <span class="item__title">{expenseName(t, expense)}</span>
                    <span class="item__meta">
                      {expense.expense_date ? formatDate(expense.expense_date, 'medium') : t.expenses.noDate}
                      {expense.category && ` · ${t.expenses.categories[expense.category] ?? expense.category}`}
                    </span>
                    <span class="item__flags">
                      {isReading(expense.receipt) && <span class="flag flag--info">{t.expenses.reading}</span>}
                      {!isReading(expense.receipt) && (expense.to_fix?.length ?? 0) > 0 && (
                        <span class="flag flag--warning">{t.expenses.hasToFix(expense.to_fix?.length ?? 0)}</span>
                      )}
                      {expense.warnings.length > 0 && (
                        <span class="flag flag--warning">
                          <Icon name="warning" />{' '}
                          {t.expenses.hasWarnings}
                        </span>
                      )}
                    </span>
                  </a>
                  <span class="item__amount">{amountText(t, expense)}</span>
                </li>
              ))}
            </ul>
            <div class="toolbar">
              {chosen.length > 0 && (
                <p class="toolbar__note" aria-live="polite">
                  {t.expenses.selectedTotal(formatMoney(sumMoney(chosen.map((e) => e.amount_sek))))}
                </p>
              )}
              <button
                type="button"
                class="button button--primary"
                aria-disabled={creating || !selected.length}
                onClick={() => void createClaim()}
              >
                {creating ? t.expenses.creatingClaim : t.expenses.createClaim(selected.length)}
              </button>
            </div>
            {createError &&
              (typeof createError === 'string' ? (
                <p class="field__error" role="alert">
                  {createError}
                </p>
              ) : (
                <ProblemAlert error={createError} />
              ))}
          </>
        )}
      </section>

      <section class="card" aria-labelledby="expenses-claims" aria-busy={claims === null && !error}>
        <h2 id="expenses-claims">{t.expenses.claims}</h2>
        {claims === null && !error && <p class="muted">{t.app.loading}</p>}
        {claims?.length === 0 && <p class="muted">{t.expenses.noClaims}</p>}
        {claims && claims.length > 0 && (
          <ul class="item-list">
            {claims.map((claim) => (
              <li key={claim.id} class="item">
                <a class="item__main" href={`/expenses/claims/${claim.id}`}>
                  <span class="item__title">{claim.title}</span>
                  <span class="item__meta">
                    {t.expenses.expenseCount(claim.expense_count)}
                    {claim.submitted_at && ` · ${formatDateTime(claim.submitted_at)}`}
                  </span>
                  <span class="item__flags">
                    <StateBadge state={claim.state} />
                  </span>
                </a>
                <span class="item__amount">{formatMoney(claim.total_sek)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
