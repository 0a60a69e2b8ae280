import { ApiError } from '../api';
import { ProblemAlert } from '../components/ProblemAlert';
import { useT } from '../i18n';
import { formatDateTime, formatMoney } from '../i18n/format';
import { discardItem, outbox, retryItem, type OutboxItem, type OutboxKind } from './outbox';

function Row({ item }: { item: OutboxItem }) {
  const t = useT();
  const { summary } = item;
  const name = [
    t.offline.kinds[item.kind] ?? item.kind,
    summary.action ? (t.offline.actions[summary.action] ?? summary.action) : null,
    summary.title || null,
    summary.amount ? formatMoney(summary.amount) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const discard = () => {
    if (window.confirm(t.offline.confirmDiscard)) void discardItem(item.id);
  };
  return (
    <li class={item.state === 'conflict' ? 'outbox-item outbox-item--conflict' : 'outbox-item'} data-kind={item.kind}>
      <p class="outbox-item__name">
        <strong>{name}</strong>
      </p>
      <p class="outbox-item__meta">
        <span class={item.state === 'conflict' ? 'flag flag--warning' : 'flag flag--info'}>
          {item.state === 'conflict'
            ? t.offline.stateConflict
            : item.state === 'sending'
              ? t.offline.stateSending
              : t.offline.stateWaiting}
        </span>{' '}
        <span class="muted">{t.offline.madeAt(formatDateTime(new Date(item.createdAt)))}</span>
      </p>
      {item.state === 'conflict' && item.problem && (
        <>
          <ProblemAlert error={new ApiError(item.problem)} />
          {(item.problem.errors ?? []).length > 0 && (
            <ul class="field__error">
              {(item.problem.errors ?? []).map((error) => (
                <li key={error.field}>{error.message}</li>
              ))}
            </ul>
          )}
          <p class="muted">{t.offline.conflictHelp}</p>
        </>
      )}
      {item.state !== 'sending' && (
        <div class="button-row">
          <button type="button" class="button button--primary" onClick={() => void retryItem(item.id)}>
            {item.state === 'conflict' ? t.offline.retry : t.offline.sendNow}
          </button>
          <button type="button" class="button button--secondary" onClick={discard}>
            {t.offline.discard}
          </button>
          {summary.href && (
            <a class="button button--secondary" href={summary.href}>
              {t.offline.open}
            </a>
          )}
        </div>
      )}
    </li>
  );
}

/** Items waiting on this phone (of some kinds), with what the server said about the refused ones. */
export function OutboxList({ kinds, heading }: { kinds?: OutboxKind[]; heading?: string }) {
  const t = useT();
  const items = outbox.value.filter((item) => !kinds || kinds.includes(item.kind));
  if (!items.length) return null;
  const headingId = `outbox-${(kinds ?? ['all']).join('-')}`;
  return (
    <section class="card outbox" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading ?? t.offline.title}</h2>
      <ul class="plain-list outbox-list">
        {items.map((item) => (
          <Row key={item.id} item={item} />
        ))}
      </ul>
    </section>
  );
}
