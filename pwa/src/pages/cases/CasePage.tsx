import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';

import { api, ApiError } from '../../api';
import { BackLink } from '../../components/BackLink';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import { user } from '../../session';
import { useLoad } from '../../useLoad';
import { STATUSES, type CaseStatus, type CaseView } from './model';
import { CaseStatusBadge, Timeline } from './parts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One case: what it is about, the timeline, a reply box, and for payroll what payroll does with it. */
export function CasePage() {
  const t = useT();
  const { params } = useRoute();
  const id = params.id ?? '';
  const [view, setView] = useState<CaseView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [reason, setReason] = useState('');
  const [status, setStatus] = useState<CaseStatus>('in_progress');
  const [due, setDue] = useState('');
  const [saved, setSaved] = useState<string | null>(null);

  const adopt = (next: CaseView) => {
    setView(next);
    setDue(next.due_date);
    setStatus(next.status === 'closed' ? 'in_progress' : next.status);
  };

  const { error: loadError } = useLoad(async (signal) => {
    if (!UUID.test(id)) throw new ApiError({ title: t.cases.notFound, status: 404, code: 'not_found' });
    const found = await api.get<CaseView>(`/api/cases/${id}`, { signal });
    if (!signal.aborted) adopt(found);
    return found;
  }, [id]);

  const act = async (path: string, body: unknown, after?: () => void) => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      adopt(await api.post<CaseView>(`/api/cases/${id}/${path}`, body));
      after?.();
      setSaved(t.cases.saved);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const manager = view?.can_manage ?? false;
  const back = manager ? <BackLink href="/case-inbox" text={t.cases.backInbox} /> : <BackLink href="/cases" text={t.cases.back} />;
  if (!view) return <PageLoad error={loadError} lead={back} notFound={<p>{t.cases.notFound}</p>} />;

  const me = user.value?.id;
  const answering = manager && view.reporter.id !== me;
  const messageError = error?.fieldError('text');
  const reasonError = error?.fieldError('reason');
  const image = view.attachment?.content_type.startsWith('image/');

  return (
    <div class="stack">
      {back}
      <PageHeading title={`${t.cases.caseTitle}: ${view.title}`} />
      {error && !messageError && !reasonError && <ProblemAlert error={error} />}
      {saved && !error && (
        <p class="alert alert--success" role="status">
          {saved}
        </p>
      )}
      <section class="card" aria-labelledby="case-facts">
        <h2 id="case-facts" class="visually-hidden">
          {t.cases.caseTitle}
        </h2>
        <p>
          <CaseStatusBadge summary={view} />
        </p>
        <dl class="facts">
          <dt>{t.cases.about}</dt>
          <dd>{view.subject.label}</dd>
          <dt>{t.cases.reporter}</dt>
          <dd>{view.reporter.name}</dd>
          <dt>{t.cases.created}</dt>
          <dd>{formatDateTime(view.created_at)}</dd>
          <dt>{t.cases.owner}</dt>
          <dd>{view.owner?.name ?? t.cases.unassigned}</dd>
          <dt>{t.cases.due}</dt>
          <dd>{formatDate(view.due_date)}</dd>
        </dl>
        {view.attachment && (
          <p>
            {image ? (
              <img class="case-attachment" src={view.attachment.url} alt={t.cases.attachment} />
            ) : (
              <a href={view.attachment.url}>
                {t.cases.attachment}: {view.attachment.filename ?? 'PDF'}
              </a>
            )}
          </p>
        )}
      </section>

      <section class="card" aria-labelledby="case-timeline">
        <h2 id="case-timeline">{t.cases.timeline}</h2>
        <Timeline entries={view.timeline} />
      </section>

      {view.can_reply ? (
        <form
          class="card stack"
          aria-labelledby="case-reply"
          onSubmit={(event) => {
            event.preventDefault();
            void act('messages', { text: message }, () => setMessage(''));
          }}
        >
          <h2 id="case-reply">{answering ? t.cases.answer : t.cases.reply}</h2>
          <p class="muted">{answering ? t.cases.answerHint : t.cases.replyHint}</p>
          <div class="field">
            <label for="case-message">{t.cases.message}</label>
            <textarea
              id="case-message"
              rows={4}
              maxLength={4000}
              required
              value={message}
              onInput={(event) => setMessage(event.currentTarget.value)}
              aria-invalid={messageError ? true : undefined}
              aria-describedby={messageError ? 'case-message-error' : undefined}
            />
            {messageError && (
              <p class="field__error" id="case-message-error">
                {messageError}
              </p>
            )}
          </div>
          <div class="button-row">
            <button type="submit" class="button button--primary" disabled={busy}>
              {t.cases.sendReply}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">{t.cases.closedHint}</p>
      )}

      {manager && (
        <section class="card stack" aria-labelledby="case-manage">
          <h2 id="case-manage">{t.cases.payroll}</h2>
          <div class="button-row">
            {view.owner?.id !== me && (
              <button type="button" class="button button--secondary" disabled={busy} onClick={() => void act('owner', { owner_account_id: me })}>
                {t.cases.take}
              </button>
            )}
            {view.owner && (
              <button type="button" class="button button--secondary" disabled={busy} onClick={() => void act('owner', { owner_account_id: null })}>
                {t.cases.release}
              </button>
            )}
          </div>
          <div class="inline-form">
            <div class="field">
              <label for="case-status">{t.cases.status}</label>
              <select id="case-status" value={status} onChange={(event) => setStatus(event.currentTarget.value as CaseStatus)}>
                {STATUSES.filter((one) => one !== view.status && one !== 'new').map((one) => (
                  <option key={one} value={one}>
                    {t.cases.statuses[one]}
                  </option>
                ))}
              </select>
            </div>
            <button type="button" class="button button--secondary" disabled={busy} onClick={() => void act('status', { status })}>
              {t.cases.setStatus}
            </button>
          </div>
          <div class="inline-form">
            <div class="field">
              <label for="case-due">{t.cases.dueDate}</label>
              <input id="case-due" type="date" value={due} onInput={(event) => setDue(event.currentTarget.value)} />
            </div>
            <button type="button" class="button button--secondary" disabled={busy} onClick={() => void act('due-date', { due_date: due })}>
              {t.cases.setDue}
            </button>
          </div>
          {view.can_return_item && (
            <form
              class="stack"
              onSubmit={(event) => {
                event.preventDefault();
                void act('return-item', { reason }, () => setReason(''));
              }}
            >
              <div class="field">
                <label for="case-return">{t.cases.returnReason}</label>
                <textarea
                  id="case-return"
                  rows={3}
                  maxLength={1000}
                  required
                  value={reason}
                  onInput={(event) => setReason(event.currentTarget.value)}
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={reasonError ? 'case-return-error' : 'case-return-hint'}
                />
                <p class="field__hint" id="case-return-hint">
                  {t.cases.returnHint}
                </p>
                {reasonError && (
                  <p class="field__error" id="case-return-error">
                    {reasonError}
                  </p>
                )}
              </div>
              <div class="button-row">
                <button type="submit" class="button button--danger" disabled={busy}>
                  {t.cases.returnItem}
                </button>
              </div>
            </form>
          )}
        </section>
      )}
    </div>
  );
}
