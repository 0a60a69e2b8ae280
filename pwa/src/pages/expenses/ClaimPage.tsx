import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';

import { api, ApiError, type FieldError } from '../../api';
import { BackLink } from '../../components/BackLink';
import { ItemHistory } from '../../components/ItemHistory';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StateBadge } from '../../components/StateBadge';
import { useT, type Messages } from '../../i18n';
import { formatDate, formatDateTime, formatMoney } from '../../i18n/format';
import { flash, submitProblems, type ClaimView, type ExpenseView } from './model';
import { useSubmission } from '../../submission';
import { useLoad } from '../../useLoad';
import { amountText, expenseLabel, expenseName } from './parts';
import { ReportError } from '../cases/ReportError';
import { Icon } from '../../components/Icon';

/** Always shown for each expense in a claim; other fields appear when they have a problem. */
const SUMMARY_FIELDS = ['expense_date', 'merchant', 'amount', 'category'] as const;

/**
 * The submit answer's problems (`expenses.1.merchant`) per expense, with the expense's own
 * field names (`merchant`). The number is the expense's place in the claim as the server
 * lists it; an id in that place is understood too.
 */
function problemsPerExpense(
  errors: FieldError[],
  expenses: ExpenseView[],
): { byExpense: Record<string, FieldError[]>; general: FieldError[] } {
  const byExpense: Record<string, FieldError[]> = {};
  const general: FieldError[] = [];
  for (const error of errors) {
    const match = /^expenses\.([^.]+)\.(.+)$/.exec(error.field);
    const key = match?.[1];
    const expense = key ? (/^\d+$/.test(key) ? expenses[Number(key)] : expenses.find((e) => e.id === key)) : undefined;
    if (match && expense) (byExpense[expense.id] ??= []).push({ ...error, field: match[2] ?? '' });
    else general.push(error);
  }
  return { byExpense, general };
}

/** The field a problem belongs to ("participants.0.name" -> "participants") and its words. */
function problemText(t: Messages, problem: FieldError): string {
  const [, index, sub] = problem.field.split('.');
  if (index !== undefined && sub !== undefined) {
    const n = Number(index) + 1;
    const where = problem.field.startsWith('participants') ? t.expenses.form.participant(n) : t.expenses.form.vatRow(n);
    return `${where}: ${problem.message}`;
  }
  return problem.message;
}

function rootField(field: string): string {
  return field.split('.')[0] ?? field;
}

function fieldValue(t: Messages, expense: ExpenseView, field: string): string | null {
  switch (field) {
    case 'expense_date':
      return expense.expense_date ? formatDate(expense.expense_date, 'medium') : null;
    case 'merchant':
      return expense.merchant;
    case 'amount':
      return expense.amount ? amountText(t, expense) : null;
    case 'category':
      return expense.category ? (t.expenses.categories[expense.category] ?? expense.category) : null;
    case 'exchange_rate':
      return expense.exchange_rate;
    case 'purpose':
      return expense.purpose;
    case 'comment':
      return expense.comment;
    case 'org_number':
      return expense.org_number;
    case 'participants':
      return expense.participants.map((p) => [p.name, p.company].filter(Boolean).join(', ')).join('; ') || null;
    case 'vat':
      return expense.vat.map((row) => `${row.rate} %: ${formatMoney(row.amount)}`).join(', ') || null;
    default:
      return null;
  }
}

export function ClaimPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  return <ClaimEditor key={id} id={id} />;
}

type Busy = 'title' | 'members' | 'submit' | 'delete' | null;

/** A claim ("samlat utlägg"): its expenses, total, submission, and what happened to it since. */
function ClaimEditor({ id }: { id: string }) {
  const t = useT();
  const { route } = useLocation();
  const [claim, setClaim] = useState<ClaimView | null>(null);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(() => flash.peek());
  const submission = useSubmission();

  const adopt = (view: ClaimView) => {
    setClaim(view);
    setTitle(view.title);
  };

  useEffect(() => {
    flash.value = null;
  }, []);
  const { error: loadError } = useLoad(async (signal) => {
    const view = await api.get<ClaimView>(`/api/expense-claims/${id}`, { signal });
    if (!signal.aborted) adopt(view);
    return view;
  }, []);
  // The drafts that could join the claim while it can change (none offered when they cannot be had).
  const editable = claim?.editable ?? false;
  const draftsLoad = useLoad(
    (signal) => (editable ? api.get<ExpenseView[]>('/api/expenses?unclaimed=true', { signal }) : Promise.resolve([])),
    [editable],
  );
  const drafts = draftsLoad.error ? [] : (draftsLoad.data ?? []);

  if (!claim) {
    return (
      <PageLoad
        error={loadError}
        lead={<BackLink href="/expenses" text={t.expenses.back} />}
        notFound={<PageHeading title={t.expenses.claim.notFound} />}
      />
    );
  }

  const byExpense: Record<string, FieldError[]> = {};
  const general: FieldError[] = [];
  const stored = submitProblems.value;
  for (const expense of claim.expenses) {
    const problems = stored[expense.id];
    if (problems?.length) byExpense[expense.id] = problems;
  }
  if (submitError?.problem.errors) {
    general.push(...problemsPerExpense(submitError.problem.errors, claim.expenses).general);
  }
  const problemCount = Object.values(byExpense).reduce((n, list) => n + list.length, 0) + general.length;

  const change = async (nextTitle: string, expenseIds: string[], what: Busy) => {
    if (busy) return;
    setBusy(what);
    setActionError(null);
    setMessage(null);
    try {
      adopt(await api.put<ClaimView>(`/api/expense-claims/${id}`, { title: nextTitle, expense_ids: expenseIds }));
      if (what === 'members') await draftsLoad.reload();
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
    } finally {
      setBusy(null);
    }
  };

  const ids = claim.expenses.map((expense) => expense.id);

  const submit = async () => {
    if (busy) return;
    setBusy('submit');
    setActionError(null);
    setSubmitError(null);
    setMessage(null);
    try {
      const view = await submission.post<ClaimView>(`/api/expense-claims/${id}/submit`);
      const remaining = { ...submitProblems.value };
      for (const expense of view.expenses) delete remaining[expense.id];
      submitProblems.value = remaining;
      adopt(view);
      setMessage(t.expenses.claim.submitted);
    } catch (caught) {
      if (!(caught instanceof ApiError)) return;
      if (caught.status === 422 && caught.problem.errors?.length) {
        // The problems name expenses by their place in the claim: read the claim as the server orders it.
        let view = claim;
        try {
          view = await api.get<ClaimView>(`/api/expense-claims/${id}`);
          adopt(view);
        } catch {
          // keep the claim as shown
        }
        const split = problemsPerExpense(caught.problem.errors, view.expenses);
        const next = { ...submitProblems.value };
        for (const expense of view.expenses) delete next[expense.id];
        submitProblems.value = { ...next, ...split.byExpense };
        setSubmitError(caught);
        requestAnimationFrame(() => document.getElementById('claim-problems')?.focus());
      } else {
        setActionError(caught);
      }
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (busy || !window.confirm(t.expenses.claim.confirmDelete)) return;
    setBusy('delete');
    try {
      await api.delete(`/api/expense-claims/${id}`);
      flash.value = t.expenses.claim.deleted;
      route('/expenses');
    } catch (caught) {
      if (caught instanceof ApiError) setActionError(caught);
      setBusy(null);
    }
  };

  return (
    <div class="stack">
      <BackLink href="/expenses" text={t.expenses.back} />
      <div class="page-title">
        <PageHeading title={claim.title} />
        <StateBadge state={claim.state} />
      </div>
      <p role="status" class={message ? 'alert alert--success' : 'visually-hidden'}>
        {message}
      </p>

      {claim.state === 'returned' && (
        <section class="alert alert--warning" aria-labelledby="claim-returned">
          <h2 id="claim-returned" class="alert__title">
            <span aria-hidden="true">↩ </span>
            {t.expenses.claim.returned}
          </h2>
          {claim.attest?.return_reason && <p>{t.expenses.claim.returnedReason(claim.attest.return_reason)}</p>}
          <p>{t.expenses.claim.returnedHint}</p>
        </section>
      )}
      {claim.state === 'submitted' && <p class="alert alert--info">{t.expenses.claim.waiting}</p>}

      {problemCount > 0 && claim.editable && (
        <section class="alert alert--error" id="claim-problems" tabIndex={-1} aria-labelledby="claim-problems-title">
          <h2 id="claim-problems-title" class="alert__title">
            {t.expenses.claim.problemsTitle(problemCount)}
          </h2>
          {submitError?.problem.detail && <p>{submitError.problem.detail}</p>}
          <ul>
            {claim.expenses.flatMap((expense) =>
              (byExpense[expense.id] ?? []).map((problem) => (
                <li key={`${expense.id}-${problem.field}`}>
                  <a href={`#claim-expense-${expense.id}`}>
                    {t.expenses.claim.problemIn(
                      expenseName(t, expense),
                      t.expenses.fields[rootField(problem.field)] ?? problem.field,
                    )}
                  </a>{' '}
                  – {problemText(t, problem)}
                </li>
              )),
            )}
            {general.map((problem) => (
              <li key={problem.field}>{problem.message}</li>
            ))}
          </ul>
        </section>
      )}
      {actionError && <ProblemAlert error={actionError} />}

      <section class="card" aria-labelledby="claim-summary">
        <h2 id="claim-summary" class="visually-hidden">
          {t.expenses.claim.title}
        </h2>
        <dl class="facts">
          <div>
            <dt>{t.expenses.claim.total}</dt>
            <dd class="claim-total">{formatMoney(claim.total_sek)}</dd>
          </div>
          <div>
            <dt>{t.expenses.claim.state}</dt>
            <dd>{t.expenses.states[claim.state]}</dd>
          </div>
          {claim.attest && (
            <div>
              <dt>{t.expenses.claim.submittedAt}</dt>
              <dd>{formatDateTime(claim.attest.submitted_at)}</dd>
            </div>
          )}
          {claim.attest?.decided_at && (
            <div>
              <dt>{t.expenses.claim.decidedAt}</dt>
              <dd>{formatDateTime(claim.attest.decided_at)}</dd>
            </div>
          )}
          {claim.attest?.pay_period && (
            <div>
              <dt>{t.expenses.claim.payPeriod}</dt>
              <dd>{claim.attest.pay_period}</dd>
            </div>
          )}
        </dl>
        {claim.editable && (
          <form
            class="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (title.trim()) void change(title.trim(), ids, 'title');
            }}
          >
            <div class="field">
              <label for="claim-title">{t.expenses.claim.titleLabel}</label>
              <input
                id="claim-title"
                value={title}
                maxLength={200}
                required
                onInput={(event) => setTitle(event.currentTarget.value)}
              />
            </div>
            {title.trim() !== claim.title && (
              <button type="submit" class="button button--secondary" aria-disabled={busy === 'title'}>
                {t.expenses.claim.saveTitle}
              </button>
            )}
          </form>
        )}
      </section>

      <section aria-labelledby="claim-expenses" class="stack">
        <h2 id="claim-expenses">{t.expenses.claim.expenses}</h2>
        {claim.expenses.length === 0 && <p class="muted">{t.expenses.claim.empty}</p>}
        <ul class="plain-list stack">
          {claim.expenses.map((expense) => {
            const problems = byExpense[expense.id] ?? [];
            const fields = [
              ...SUMMARY_FIELDS,
              ...new Set(
                problems
                  .map((problem) => rootField(problem.field))
                  .filter((field) => !(SUMMARY_FIELDS as readonly string[]).includes(field)),
              ),
            ];
            const label = expenseLabel(t, expense);
            return (
              <li
                key={expense.id}
                id={`claim-expense-${expense.id}`}
                class={problems.length ? 'card claim-expense claim-expense--problem' : 'card claim-expense'}
                tabIndex={-1}
              >
                <h3 id={`claim-expense-${expense.id}-name`} class="claim-expense__name">
                  {expenseName(t, expense)}
                </h3>
                <dl class="facts facts--compact">
                  {fields.map((field) => {
                    const own = problems.filter((problem) => rootField(problem.field) === field);
                    const value = fieldValue(t, expense, field);
                    return (
                      <div key={field} data-field={field} class={own.length ? 'facts__problem' : undefined}>
                        <dt>{t.expenses.fields[field] ?? field}</dt>
                        <dd>
                          {value ?? <span class="muted">{t.expenses.claim.missing}</span>}
                          {own.map((problem) => (
                            <p key={problem.field} class="field__error">
                              <Icon name="cross" />{' '}
                              {problemText(t, problem)}
                            </p>
                          ))}
                        </dd>
                      </div>
                    );
                  })}
                </dl>
                {expense.warnings.length > 0 && (
                  <ul class="warning-list">
                    {expense.warnings.map((warning, index) => (
                      <li key={index}>
                        <Icon name="warning" />{' '}
                        {warning.message}
                      </li>
                    ))}
                  </ul>
                )}
                <div class="button-row">
                  <a
                    class={problems.length ? 'button button--primary' : 'button button--secondary'}
                    href={`/expenses/${expense.id}`}
                  >
                    {claim.editable ? (problems.length ? t.expenses.claim.fix : t.expenses.claim.edit) : t.expenses.openPending}
                    <span class="visually-hidden">: {label}</span>
                  </a>
                  {claim.editable && (
                    <button
                      type="button"
                      class="button button--secondary"
                      aria-disabled={busy === 'members'}
                      onClick={() =>
                        void change(
                          claim.title,
                          ids.filter((other) => other !== expense.id),
                          'members',
                        )
                      }
                    >
                      {t.expenses.claim.removeShort}
                      <span class="visually-hidden">: {label}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      </section>

      {claim.editable && (
        <section class="card" aria-labelledby="claim-add">
          <h2 id="claim-add">{t.expenses.claim.addDrafts}</h2>
          {drafts.length === 0 ? (
            <p class="muted">{t.expenses.claim.noDraftsToAdd}</p>
          ) : (
            <ul class="item-list">
              {drafts.map((expense) => (
                <li key={expense.id} class="item">
                  <span class="item__main">
                    <span class="item__title">{expenseName(t, expense)}</span>
                    <span class="item__meta">
                      {expense.expense_date ? formatDate(expense.expense_date, 'medium') : t.expenses.noDate}
                    </span>
                  </span>
                  <span class="item__amount">{amountText(t, expense)}</span>
                  <button
                    type="button"
                    class="button button--secondary"
                    aria-disabled={busy === 'members'}
                    onClick={() => void change(claim.title, [...ids, expense.id], 'members')}
                  >
                    {t.expenses.claim.addShort}
                    <span class="visually-hidden">: {expenseLabel(t, expense)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {claim.editable && (
        <div class="action-bar">
          <button
            type="button"
            class="button button--primary button--block"
            aria-disabled={busy === 'submit'}
            onClick={() => void submit()}
          >
            {busy === 'submit'
              ? t.expenses.claim.submitting
              : claim.state === 'returned'
                ? t.expenses.claim.resubmit
                : t.expenses.claim.submit}
          </button>
        </div>
      )}

      {claim.attest && (
        <ReportError subject={{ subject_kind: 'item', item_subject_id: claim.id }} about={claim.title} id="report-claim" />
      )}
      <ItemHistory entries={claim.history} id="claim-history" />

      {claim.editable && !claim.attest && (
        <p>
          <button type="button" class="button button--danger" onClick={() => void remove()}>
            {t.expenses.claim.delete}
          </button>
        </p>
      )}
    </div>
  );
}
