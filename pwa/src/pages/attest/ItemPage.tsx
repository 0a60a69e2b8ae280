import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatDate, formatDateTime, formatMonthName, formatPeriod } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { DETAILS } from './details';
import {
  attestFlash,
  decidedHere,
  lastCutoff,
  nextInQueue,
  queue,
  type DecisionOutcome,
  type Inbox,
  type ItemView,
} from './model';
import { queueDecisions } from './offline';
import { daysUntil, History, kindName, quantityText, StateBadge } from './parts';
import { ReportError } from '../cases/ReportError';

export function ItemPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  return <AttestItem key={id} id={id} />;
}

type Busy = 'approve' | 'return' | null;

/** One item: what it is, its lines and receipts, its history; approve it, or send it back with a reason. */
function AttestItem({ id }: { id: string }) {
  const t = useT();
  const { route } = useLocation();
  const {
    data: item,
    error: loadError,
    reload,
  } = useLoad((signal) => api.get<ItemView>(`/api/attest/items/${id}`, { signal }), [id]);
  const [busy, setBusy] = useState<Busy>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [message] = useState(() => attestFlash.peek());
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const errorRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    attestFlash.value = null;
    // Opened by a link (a notification, a bookmark): learn the inbox's order and cut-off too.
    if (!queue.value.length) {
      api
        .get<Inbox>('/api/attest/inbox')
        .then((inbox) => {
          if (queue.value.length) return;
          queue.value = inbox.items;
          lastCutoff.value = inbox.next_cutoff;
        })
        .catch(() => undefined);
    }
  }, []);

  useEffect(() => {
    if (returning) reasonRef.current?.focus();
  }, [returning]);

  useEffect(() => {
    if (actionError) errorRef.current?.focus();
  }, [actionError]);

  if (!item) {
    return (
      <div class="stack">
        <BackToInbox />
        {loadError ? (
          loadError.status === 404 ? (
            <section class="card">
              <PageHeading title={t.attest.item.notFound} />
              <p>{t.attest.item.notFoundBody}</p>
            </section>
          ) : (
            <ProblemAlert error={loadError} />
          )
        ) : (
          <p class="loading" aria-busy="true">
            {t.app.loading}
          </p>
        )}
      </div>
    );
  }

  const next = nextInQueue(item.id, decidedHere.value);
  const remaining = queue.value.filter((queued) => queued.id === item.id || !decidedHere.value.has(queued.id));
  const position = remaining.findIndex((queued) => queued.id === item.id);
  const cutoff = item.state === 'submitted' ? lastCutoff.value : null;
  const Detail = DETAILS[item.kind];
  const quantity = quantityText(t, item);

  /** Done here: tell the next screen what happened, and go on to the next item (or back to the list). */
  const done = (text: string) => {
    decidedHere.value = new Set([...decidedHere.value, item.id]);
    const following = nextInQueue(item.id, decidedHere.value);
    attestFlash.value = following ? `${text} ${t.attest.item.nextShown}` : text;
    route(following ? `/attest/items/${following.id}` : '/attest');
  };

  /** Without a connection the decision waits on the phone (and is sent once, with the version seen here). */
  const queued = async (action: 'approve' | 'return', why?: string): Promise<boolean> => {
    if (!(await queueDecisions([item], action, why))) return false;
    done(t.offline.decisionsQueued(1));
    return true;
  };

  const approve = async () => {
    if (busy) return;
    setBusy('approve');
    setActionError(null);
    if (!navigator.onLine && (await queued('approve'))) return;
    try {
      const outcome = await api.post<DecisionOutcome>(`/api/attest/items/${item.id}/approve`, { version: item.version });
      done(
        outcome.pay_period
          ? t.attest.item.approvedMessage(item.title, item.employee.name, formatPeriod(outcome.pay_period))
          : t.attest.item.approvedShort(item.title, item.employee.name),
      );
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 0 && (await queued('approve'))) return;
      if (caught instanceof ApiError) setActionError(caught);
      setBusy(null);
    }
  };

  const sendBack = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    if (!reason.trim()) {
      setReasonError(t.attest.item.reasonRequired);
      reasonRef.current?.focus();
      return;
    }
    setBusy('return');
    setActionError(null);
    if (!navigator.onLine && (await queued('return', reason.trim()))) return;
    try {
      await api.post<DecisionOutcome>(`/api/attest/items/${item.id}/return`, { reason: reason.trim(), version: item.version });
      done(t.attest.item.returnedMessage(item.title, item.employee.name));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 0 && (await queued('return', reason.trim()))) return;
      if (caught instanceof ApiError) {
        setActionError(caught);
        const field = caught.fieldError('reason');
        if (field) setReasonError(field);
      }
      setBusy(null);
    }
  };

  const firstName = item.employee.name.split(/\s+/)[0] ?? item.employee.name;

  return (
    <div class="stack">
      <BackToInbox />
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      <section class="card" aria-labelledby="attest-item-title">
        <div class="page-title">
          <PageHeading title={item.title} id="attest-item-title" />
          <StateBadge state={item.state} />
        </div>
        {position >= 0 && item.state === 'submitted' && (
          <p class="muted">{t.attest.item.position(position + 1, remaining.length)}</p>
        )}
        <p class="item-amount">{quantity}</p>
        <dl class="facts">
          <div>
            <dt>{t.attest.item.employee}</dt>
            <dd>{item.employee.name}</dd>
          </div>
          <div>
            <dt>{t.attest.item.kind}</dt>
            <dd>{kindName(t, item.kind)}</dd>
          </div>
          <div>
            <dt>{t.attest.item.submitted}</dt>
            <dd>
              {formatDateTime(item.submitted_at)}
              {item.state === 'submitted' && (
                <span class="muted"> ({t.attest.inbox.waited(Math.max(0, -daysUntil(item.submitted_at)))})</span>
              )}
            </dd>
          </div>
          {item.times_returned > 0 && (
            <div>
              <dt>{t.attest.item.timesReturned}</dt>
              <dd>{t.attest.inbox.returnedTimes(item.times_returned)}</dd>
            </div>
          )}
          {cutoff && (
            <div>
              <dt>{t.attest.item.reaches}</dt>
              <dd>{t.attest.item.reachesText(formatMonthName(cutoff.pay_period), formatDate(cutoff.date, 'medium'))}</dd>
            </div>
          )}
          {item.decided_at && (
            <div>
              <dt>{t.attest.item.decided}</dt>
              <dd>
                {formatDateTime(item.decided_at)}
                {item.decided_by && `, ${item.decided_by}`}
                {item.on_behalf_of && ` ${t.attest.item.onBehalfOf(item.on_behalf_of.name)}`}
              </dd>
            </div>
          )}
          {item.pay_period && (
            <div>
              <dt>{t.attest.item.payPeriod}</dt>
              <dd>{formatPeriod(item.pay_period)}</dd>
            </div>
          )}
          {item.return_reason && (
            <div>
              <dt>{t.attest.item.returnReason}</dt>
              <dd>{item.return_reason}</dd>
            </div>
          )}
        </dl>
        {item.on_behalf_of && item.state === 'submitted' && (
          <p class="alert alert--info">{t.attest.item.asSubstitute(item.on_behalf_of.name)}</p>
        )}
      </section>

      {item.warnings.length > 0 && (
        <section class="alert alert--warning" aria-labelledby="attest-item-warnings">
          <h2 class="alert__title" id="attest-item-warnings">
            {t.attest.item.warnings}
          </h2>
          <ul>
            {item.warnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        </section>
      )}

      {Detail && item.detail ? (
        <Detail detail={item.detail} />
      ) : (
        <p class="muted">{t.attest.item.noDetail}</p>
      )}

      {actionError && (
        <div ref={errorRef} tabIndex={-1} class="stack">
          <ProblemAlert error={actionError} />
          {actionError.status === 409 && (
            <button type="button" class="button button--secondary" onClick={() => {
                setActionError(null);
                setReturning(false);
                void reload();
              }}>
              {t.attest.item.reload}
            </button>
          )}
        </div>
      )}

      {item.can_decide && returning && (
        <form class="card form" onSubmit={(event) => void sendBack(event)} noValidate aria-labelledby="attest-return-heading">
          <h2 id="attest-return-heading">{t.attest.item.returnHeading}</h2>
          <div class="field">
            <label for="attest-reason">
              {t.attest.item.reasonLabel} <span class="muted">{t.attest.item.required}</span>
            </label>
            <p class="field__hint" id="attest-reason-hint">
              {t.attest.item.reasonHint(firstName)}
            </p>
            <textarea
              id="attest-reason"
              ref={reasonRef}
              value={reason}
              maxLength={1000}
              required
              aria-required="true"
              aria-invalid={reasonError ? 'true' : undefined}
              aria-describedby={reasonError ? 'attest-reason-hint attest-reason-error' : 'attest-reason-hint'}
              onInput={(event) => {
                setReason(event.currentTarget.value);
                if (reasonError) setReasonError(null);
              }}
            />
            {reasonError && (
              <p class="field__error" id="attest-reason-error">
                {reasonError}
              </p>
            )}
          </div>
          <div class="button-row">
            <button type="submit" class="button button--danger" aria-disabled={busy === 'return'}>
              {busy === 'return' ? t.attest.item.returning : t.attest.item.sendBack}
            </button>
            <button
              type="button"
              class="button button--secondary"
              onClick={() => {
                setReturning(false);
                setReasonError(null);
              }}
            >
              {t.attest.item.cancel}
            </button>
          </div>
        </form>
      )}

      {item.can_decide && !returning && (
        <div class="action-bar decision-bar">
          <button
            type="button"
            class="button button--primary"
            aria-disabled={busy === 'approve'}
            onClick={() => void approve()}
          >
            {busy === 'approve' ? t.attest.item.approving : t.attest.item.approve}
          </button>
          <button type="button" class="button button--danger" onClick={() => setReturning(true)}>
            {t.attest.item.returnButton}
          </button>
        </div>
      )}

      {next && item.state === 'submitted' && (
        <p>
          <a class="button button--secondary button--block" href={`/attest/items/${next.id}`}>
            {t.attest.item.skip}
            <span class="visually-hidden">: {`${next.employee.name}, ${next.title}`}</span>
          </a>
        </p>
      )}

      <ReportError subject={{ subject_kind: 'item', item_id: item.id }} about={item.title} id="report-attest-item" />
      <History entries={item.history} headingId="attest-item-history" />
    </div>
  );
}

function BackToInbox() {
  const t = useT();
  return (
    <p class="back-link">
      <a href="/attest">
        <span aria-hidden="true">←</span>
        {t.attest.item.back}
      </a>
    </p>
  );
}
