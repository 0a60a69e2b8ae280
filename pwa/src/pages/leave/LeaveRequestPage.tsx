import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';

import { api, ApiError, newId, type Schema } from '../../api';
import { BackLink } from '../../components/BackLink';
import { ItemHistory } from '../../components/ItemHistory';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { formatDate, formatNumber } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { AttestStatus, fieldMessage, FormProblems, InlineError, notice } from '../time/common';
import { useDraftActions } from '../time/useDraftActions';
import { LEAVE_KINDS, type LeaveKind, type LeaveRequestIn, type LeaveRequestView, type VacationBalance } from './model';
import { BalanceFacts, RequestFacts } from './parts';
import { ReportError } from '../cases/ReportError';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function LeaveRequestPage() {
  const { params } = useRoute();
  const id = params.id ?? 'new';
  return <LeaveEditor key={id} routeId={id} />;
}

interface FormState {
  kind: LeaveKind;
  first_day: string;
  last_day: string;
  comment: string;
}

const FIELDS = ['kind', 'first_day', 'last_day', 'comment'] as const;

/** A leave request: dates, kind, the vacation days left, submission, and what happened to it. */
function LeaveEditor({ routeId }: { routeId: string }) {
  const t = useT();
  const creating = routeId === 'new';
  const [id] = useState(() => (creating ? newId() : routeId));
  const [request, setRequest] = useState<LeaveRequestView | null>(null);
  const [stored, setStored] = useState(!creating);
  const [form, setForm] = useState<FormState>({ kind: 'vacation', first_day: '', last_day: '', comment: '' });
  const [missing, setMissing] = useState<Partial<Record<'first_day' | 'last_day', string>>>({});
  const [dirty, setDirty] = useState(creating);

  const adopt = (view: LeaveRequestView) => {
    setRequest(view);
    setStored(true);
    setForm({ kind: view.kind, first_day: view.first_day, last_day: view.last_day, comment: view.comment ?? '' });
    setDirty(false);
  };
  const { busy, error, message, refused, onSave, onSubmit, remove } = useDraftActions({
    path: `/api/leave/requests/${id}`,
    problemsId: 'leave-problems',
    listHref: '/leave',
    texts: { saved: t.leave.saved, submitted: t.leave.submitted, deleted: t.leave.deleted, confirmDelete: t.leave.confirmDelete },
    adopt,
  });

  useEffect(() => {
    notice.value = null;
  }, []);
  const { error: loadError } = useLoad(async (signal) => {
    if (creating) return null;
    if (!UUID.test(routeId)) throw new ApiError({ title: t.leave.notFound, status: 404, code: 'not_found' });
    const found = await api.get<LeaveRequestView>(`/api/leave/requests/${routeId}`, { signal });
    if (!signal.aborted) adopt(found);
    return found;
  }, []);

  // The working days the chosen dates take, counted by the server's own rule as the dates are picked.
  const { first_day: first, last_day: last } = form;
  const counting = ISO_DATE.test(first) && ISO_DATE.test(last) && last >= first;
  const countedLoad = useLoad(
    (signal) => {
      if (!counting) return Promise.resolve(null);
      const query = new URLSearchParams({ first_day: first, last_day: last });
      return api.get<Schema<'WorkingDaysView'>>(`/api/leave/working-days?${query}`, { signal });
    },
    [first, last],
  );
  const counted = countedLoad.error ? null : countedLoad.data; // the save names what is wrong with the dates
  const workingDays =
    counted && counted.first_day === form.first_day && counted.last_day === form.last_day
      ? counted.days
      : request && !dirty
        ? request.days
        : null;

  // The year's days left, for the year the leave starts in (this year until a date is chosen).
  const year = /^\d{4}-\d{2}-\d{2}$/.test(form.first_day) ? form.first_day.slice(0, 4) : '';
  const ownBalance = request?.balance && request.balance.year === Number(year || request.balance.year) ? request.balance : null;
  const yearBalance = useLoad(
    (signal) =>
      ownBalance ? Promise.resolve(null) : api.get<VacationBalance>(`/api/leave/balance${year ? `?year=${year}` : ''}`, { signal }),
    [year, request],
    { keep: true },
  );
  const balance = ownBalance ?? yearBalance.data ?? request?.balance ?? null;

  if (!creating && !request) {
    return (
      <PageLoad
        error={loadError}
        lead={<BackLink href="/leave" text={t.leave.back} />}
        notFound={<PageHeading title={t.leave.notFound} />}
      />
    );
  }

  const editable = request ? request.editable : true;
  const state = request?.state ?? 'draft';

  const set = (key: keyof FormState, value: string) => {
    setForm((current) => ({ ...current, [key]: value }));
    setDirty(true);
    if (key === 'first_day' || key === 'last_day') setMissing((current) => ({ ...current, [key]: undefined }));
  };

  const save = async (): Promise<boolean> => {
    const needed: Partial<Record<'first_day' | 'last_day', string>> = {};
    if (!form.first_day) needed.first_day = t.leave.dateRequired;
    if (!form.last_day) needed.last_day = t.leave.dateRequired;
    setMissing(needed);
    if (Object.keys(needed).length) {
      requestAnimationFrame(() => document.getElementById(needed.first_day ? 'leave-first-day' : 'leave-last-day')?.focus());
      return false;
    }
    const body: LeaveRequestIn = {
      kind: form.kind,
      first_day: form.first_day,
      last_day: form.last_day,
      comment: form.comment.trim() || null,
    };
    try {
      adopt(await api.put<LeaveRequestView>(`/api/leave/requests/${id}`, body));
      if (creating) history.replaceState(history.state, '', `/leave/${id}`);
      return true;
    } catch (caught) {
      refused(caught);
      return false;
    }
  };

  const errorFor = (field: 'kind' | 'first_day' | 'last_day' | 'comment') =>
    (field === 'first_day' || field === 'last_day' ? missing[field] : undefined) ?? fieldMessage(error, field);
  const labels: Record<string, string> = {
    kind: t.leave.kind,
    first_day: t.leave.firstDay,
    last_day: t.leave.lastDay,
    comment: t.leave.comment,
  };
  const anchors: Record<string, string> = {
    kind: 'leave-kind',
    first_day: 'leave-first-day',
    last_day: 'leave-last-day',
    comment: 'leave-comment',
  };
  const title = request
    ? t.leave.requestTitle(request.kind_name, formatDate(request.first_day, 'medium'), formatDate(request.last_day, 'medium'))
    : t.leave.newTitle;
  const described = (field: (typeof FIELDS)[number], hint?: string) =>
    [hint, errorFor(field) && `${anchors[field]}-error`].filter(Boolean).join(' ') || undefined;

  return (
    <div class="stack">
      <BackLink href="/leave" text={t.leave.back} />
      <div class="page-title">
        <PageHeading title={title} />
        {request && <StateBadge state={state} />}
      </div>
      <p role="status" class={message ? 'alert alert--success' : 'visually-hidden'}>
        {message}
      </p>
      <AttestStatus state={state} attest={request?.attest ?? null} returnedTitle={t.leave.returned} returnedHint={t.leave.returnedHint} />
      <FormProblems
        id="leave-problems"
        error={error}
        where={(field) => (labels[field] ? { label: labels[field] ?? field, anchor: anchors[field] ?? null } : null)}
      />

      {form.kind === 'vacation' && (
        <section class="card" aria-labelledby="leave-balance" aria-live="polite">
          <h2 id="leave-balance">{balance ? t.leave.balanceHeading(balance.year) : t.leave.balanceTitle}</h2>
          {balance ? <BalanceFacts balance={balance} /> : <p class="muted">{t.app.loading}</p>}
        </section>
      )}

      <section class="card" aria-labelledby="leave-form-title">
        <h2 id="leave-form-title">{t.leave.details}</h2>
        {editable ? (
          <form
            class="form stack"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void onSave(save);
            }}
          >
            <div class="field">
              <label for="leave-kind">{t.leave.kind}</label>
              <select
                id="leave-kind"
                value={form.kind}
                onChange={(event) => set('kind', event.currentTarget.value)}
                aria-invalid={errorFor('kind') ? true : undefined}
                aria-describedby={described('kind')}
              >
                {LEAVE_KINDS.map((kind) => (
                  <option key={kind} value={kind}>
                    {t.leave.kinds[kind]}
                  </option>
                ))}
              </select>
              <InlineError id="leave-kind-error" message={errorFor('kind')} />
            </div>
            <div class="field-row field-row--even">
              <div class="field">
                <label for="leave-first-day">{t.leave.firstDay}</label>
                <input
                  id="leave-first-day"
                  type="date"
                  required
                  value={form.first_day}
                  onInput={(event) => set('first_day', event.currentTarget.value)}
                  aria-invalid={errorFor('first_day') ? true : undefined}
                  aria-describedby={described('first_day')}
                />
                <InlineError id="leave-first-day-error" message={errorFor('first_day')} />
              </div>
              <div class="field">
                <label for="leave-last-day">{t.leave.lastDay}</label>
                <input
                  id="leave-last-day"
                  type="date"
                  required
                  min={form.first_day || undefined}
                  value={form.last_day}
                  onInput={(event) => set('last_day', event.currentTarget.value)}
                  aria-invalid={errorFor('last_day') ? true : undefined}
                  aria-describedby={described('last_day')}
                />
                <InlineError id="leave-last-day-error" message={errorFor('last_day')} />
              </div>
            </div>
            <p class="field__hint">{t.leave.daysHint}</p>
            <div class="field">
              <label for="leave-comment">
                {t.leave.comment} <span class="muted">{t.expenses.form.optional}</span>
              </label>
              <textarea
                id="leave-comment"
                rows={2}
                maxLength={500}
                value={form.comment}
                onInput={(event) => set('comment', event.currentTarget.value)}
                aria-invalid={errorFor('comment') ? true : undefined}
                aria-describedby={described('comment')}
              />
              <InlineError id="leave-comment-error" message={errorFor('comment')} />
            </div>
            <p class="leave-working-days" role="status">
              {workingDays !== null && (
                <>
                  {t.leave.workingDays}: <strong>{t.leave.days(formatNumber(workingDays))}</strong>
                </>
              )}
            </p>
            <div class="action-bar">
              <div class="button-row">
                <button type="submit" class="button button--secondary" aria-disabled={busy !== null}>
                  {busy === 'save' ? t.leave.saving : t.leave.save}
                </button>
                <button
                  type="button"
                  class="button button--primary"
                  aria-disabled={busy !== null}
                  onClick={() => void onSubmit(save, dirty || !stored)}
                >
                  {busy === 'submit' ? t.leave.submitting : state === 'returned' ? t.leave.resubmit : t.leave.submit}
                </button>
              </div>
            </div>
          </form>
        ) : (
          request && <RequestFacts request={request} />
        )}
      </section>

      {request?.attest && (
        <ReportError subject={{ subject_kind: 'item', item_subject_id: request.id }} about={title} id="report-leave" />
      )}
      {request && <ItemHistory entries={request.history} id="leave-history" />}

      {request && editable && !request.attest && (
        <p>
          <button type="button" class="button button--danger" onClick={() => void remove()}>
            {t.leave.delete}
          </button>
        </p>
      )}
    </div>
  );
}
