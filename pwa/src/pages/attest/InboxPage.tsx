import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError, newId } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { formatMoney, formatPeriod } from '../../i18n/format';
import {
  attestFlash,
  decidedHere,
  isKind,
  isSort,
  KINDS,
  lastCutoff,
  queue,
  SORTS,
  type BulkOutcome,
  type Inbox,
  type InboxItem,
} from './model';
import { OutboxList } from '../../offline/OutboxList';
import { queueDecisions, waitingDecisionIds } from './offline';
import { AttestNav, CutoffBanner, kindName, quantityText } from './parts';
import { SwipeRow } from './SwipeRow';
import { Icon } from '../../components/Icon';
import { useLoad } from '../../useLoad';

/** Items waiting longer than this are marked (the insight page's default limit too). */
const LONG_WAIT_DAYS = 7;

/** Adds decimal strings exactly (öre as BigInt): the total of what is selected. */
function sumAmounts(amounts: Array<string | null>): string {
  let ore = 0n;
  for (const amount of amounts) {
    if (!amount) continue;
    const negative = amount.startsWith('-');
    const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
    const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
    ore += negative ? -value : value;
  }
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

interface Summary {
  outcome: BulkOutcome;
  /** The items as they were when acted on: the outcome names them by id only. */
  items: Record<string, InboxItem>;
}

/** "Attestera": everything waiting for this person's attest, in one list; select many and approve. */
export function InboxPage() {
  const t = useT();
  const { query, route, path } = useLocation();
  const kind = isKind(query.kind) ? query.kind : null;
  const sort = isSort(query.sort) ? query.sort : 'oldest';
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [bulkError, setBulkError] = useState<ApiError | string | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [queuedNote, setQueuedNote] = useState<string | null>(null);
  const [message] = useState(() => attestFlash.peek());
  const bulkKey = useRef<string | null>(null);
  const selectAll = useRef<HTMLInputElement>(null);
  const summaryRef = useRef<HTMLElement>(null);

  const {
    data: inbox,
    error,
    reload,
  } = useLoad(
    async (signal) => {
      const params = new URLSearchParams({ sort });
      if (kind) params.set('kind', kind);
      const fresh = await api.get<Inbox>(`/api/attest/inbox?${params}`, { signal });
      if (!signal.aborted) {
        queue.value = fresh.items;
        decidedHere.value = new Set();
        lastCutoff.value = fresh.next_cutoff;
        setSelected((current) => current.filter((id) => fresh.items.some((item) => item.id === id)));
      }
      return fresh;
    },
    [kind, sort],
    { keep: true },
  );

  useEffect(() => {
    attestFlash.value = null;
  }, []);

  // Items decided on this phone while offline wait in the outbox, not in this list.
  const waitingIds = waitingDecisionIds();
  const items = (inbox?.items ?? []).filter((item) => !waitingIds.has(item.id));
  const allSelected = items.length > 0 && selected.length === items.length;
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = selected.length > 0 && !allSelected;
  }, [selected.length, allSelected]);

  useEffect(() => {
    if (summary) summaryRef.current?.focus();
  }, [summary]);

  const setFilter = (name: 'kind' | 'sort', value: string) => {
    const params = new URLSearchParams();
    const next = { kind: kind ?? '', sort, [name]: value };
    if (next.kind) params.set('kind', next.kind);
    if (next.sort !== 'oldest') params.set('sort', next.sort);
    const search = params.toString();
    route(search ? `${path}?${search}` : path, true);
  };

  const toggle = (id: string) =>
    setSelected((current) => (current.includes(id) ? current.filter((x) => x !== id) : [...current, id]));

  const toggleAll = () => setSelected(allSelected ? [] : items.map((item) => item.id));

  const approveSelected = async () => {
    if (busy) return;
    if (!selected.length) {
      setBulkError(t.attest.inbox.selectFirst);
      return;
    }
    const chosen = items.filter((item) => selected.includes(item.id));
    setBusy(true);
    setBulkError(null);
    setSummary(null);
    setQueuedNote(null);
    // One key for every try of this batch: a repeat after a lost answer decides once.
    bulkKey.current ??= newId();
    // No connection: the batch waits on the phone under the same key and is sent once later.
    const queueBatch = async (): Promise<boolean> => {
      if (!(await queueDecisions(chosen, 'approve', undefined, bulkKey.current ?? newId()))) return false;
      bulkKey.current = null;
      setSelected([]);
      setQueuedNote(t.offline.decisionsQueued(chosen.length));
      setBusy(false);
      return true;
    };
    if (!navigator.onLine && (await queueBatch())) return;
    try {
      const outcome = await api.post<BulkOutcome>(
        '/api/attest/decisions',
        { decisions: chosen.map((item) => ({ item_id: item.id, action: 'approve', version: item.version })) },
        { headers: { 'Idempotency-Key': bulkKey.current } },
      );
      bulkKey.current = null;
      setSummary({ outcome, items: Object.fromEntries(chosen.map((item) => [item.id, item])) });
      setSelected([]);
      await reload();
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 0 && (await queueBatch())) return;
      setBulkError(caught instanceof ApiError ? caught : t.errors.unexpected);
    } finally {
      setBusy(false);
    }
  };

  const chosen = items.filter((item) => selected.includes(item.id));
  const chosenTotal = sumAmounts(chosen.map((item) => item.amount));

  return (
    <div class="stack">
      <PageHeading title={t.attest.title} />
      <AttestNav />
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      {inbox && <CutoffBanner cutoff={inbox.next_cutoff} />}
      {/* The banner's room while the inbox loads, so the list below does not jump down when it comes. */}
      {!inbox && !error && <div class="alert alert--info cutoff cutoff--pending" aria-hidden="true" />}
      {error && <ProblemAlert error={error} />}
      {queuedNote && (
        <p class="alert alert--info" role="status">
          {queuedNote}
        </p>
      )}
      <OutboxList kinds={['decision']} heading={t.offline.decisionWaiting} />

      {summary && (
        <section
          class={summary.outcome.failed ? 'alert alert--warning' : 'alert alert--success'}
          aria-labelledby="attest-summary-title"
          tabIndex={-1}
          ref={summaryRef}
          id="attest-summary"
        >
          <h2 class="alert__title" id="attest-summary-title">
            {t.attest.inbox.summaryTitle(summary.outcome.approved, summary.outcome.failed)}
          </h2>
          <ul>
            {summary.outcome.outcomes.map((outcome) => {
              const item = summary.items[outcome.item_id];
              const name = item ? `${item.employee.name}, ${item.title}` : outcome.item_id;
              return (
                <li key={outcome.item_id} class={outcome.ok ? 'outcome outcome--ok' : 'outcome outcome--failed'}>
                  <Icon name={outcome.ok ? 'check' : 'cross'} />{' '}
                  <strong>{name}</strong>
                  {': '}
                  {outcome.ok
                    ? outcome.pay_period
                      ? t.attest.inbox.approvedFor(formatPeriod(outcome.pay_period))
                      : t.attest.inbox.approvedShort
                    : outcome.status === 409
                      ? t.attest.inbox.conflict(outcome.message)
                      : outcome.message}
                </li>
              );
            })}
          </ul>
          <p>
            <button type="button" class="link-button" onClick={() => setSummary(null)}>
              {t.attest.inbox.closeSummary}
            </button>
          </p>
        </section>
      )}

      <section class="card" aria-labelledby="attest-list-heading" aria-busy={inbox === null && !error}>
        <div class="section-head">
          <h2 id="attest-list-heading">{t.attest.inbox.heading(inbox?.total ?? null)}</h2>
        </div>
        <div class="filters">
          <div class="field">
            <label for="attest-kind">{t.attest.filters.kind}</label>
            <select id="attest-kind" value={kind ?? ''} onChange={(event) => setFilter('kind', event.currentTarget.value)}>
              <option value="">{t.attest.filters.allKinds}</option>
              {KINDS.map((value) => (
                <option key={value} value={value}>
                  {kindName(t, value)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="attest-sort">{t.attest.filters.sort}</label>
            <select id="attest-sort" value={sort} onChange={(event) => setFilter('sort', event.currentTarget.value)}>
              {SORTS.map((value) => (
                <option key={value} value={value}>
                  {t.attest.sorts[value]}
                </option>
              ))}
            </select>
          </div>
        </div>

        {inbox === null && !error && <p class="muted">{t.app.loading}</p>}
        {inbox && items.length === 0 && <p class="empty-state">{kind ? t.attest.inbox.emptyKind : t.attest.inbox.empty}</p>}
        {items.length > 0 && (
          <>
            <p class="muted" id="attest-hint">
              {t.attest.inbox.hint}
            </p>
            <label class="choice select-all">
              <input type="checkbox" ref={selectAll} checked={allSelected} onChange={toggleAll} />
              {t.attest.inbox.selectAll(items.length)}
            </label>
            <ul class="item-list attest-list">
              {items.map((item) => (
                <InboxRow
                  key={item.id}
                  item={item}
                  checked={selected.includes(item.id)}
                  onToggle={() => toggle(item.id)}
                  onOpen={() => route(`/attest/items/${item.id}`)}
                />
              ))}
            </ul>
            {inbox && inbox.total > items.length && (
              <p class="muted">{t.attest.inbox.showing(items.length, inbox.total)}</p>
            )}
          </>
        )}
      </section>

      {items.length > 0 && (
        <div class="action-bar attest-bar">
          <p class="toolbar__note" aria-live="polite">
            {selected.length
              ? t.attest.inbox.selectedCount(selected.length, chosen.some((item) => item.amount) ? formatMoney(chosenTotal) : null)
              : t.attest.inbox.noneSelected}
          </p>
          <button
            type="button"
            class="button button--primary button--block"
            aria-disabled={busy || !selected.length}
            onClick={() => void approveSelected()}
          >
            {busy ? t.attest.inbox.approving : t.attest.inbox.approveSelected(selected.length)}
          </button>
          {bulkError &&
            (typeof bulkError === 'string' ? (
              <p class="field__error" role="alert">
                {bulkError}
              </p>
            ) : (
              <ProblemAlert error={bulkError} />
            ))}
        </div>
      )}
    </div>
  );
}

function InboxRow({
  item,
  checked,
  onToggle,
  onOpen,
}: {
  item: InboxItem;
  checked: boolean;
  onToggle: () => void;
  onOpen: () => void;
}) {
  const t = useT();
  const quantity = quantityText(t, item);
  const label = [item.employee.name, kindName(t, item.kind), item.title, quantity].filter(Boolean).join(', ');
  const long = item.days_waiting >= LONG_WAIT_DAYS;
  return (
    <SwipeRow class={checked ? 'item attest-item attest-item--selected' : 'item attest-item'} onSwipe={onOpen} hint={t.attest.inbox.swipeOpen}>
      <label class="item__check">
        <input type="checkbox" checked={checked} onChange={onToggle} />
        <span class="visually-hidden">{t.attest.inbox.select(label)}</span>
      </label>
      <a class="item__main" href={`/attest/items/${item.id}`}>
        <span class="item__title">{item.employee.name}</span>
        <span class="item__meta">
          <span class="kind-tag">{kindName(t, item.kind)}</span> {item.title}
        </span>
        <span class={long ? 'item__meta waited waited--long' : 'item__meta waited'}>
          {t.attest.inbox.waited(item.days_waiting)}
          {item.on_behalf_of && ` · ${t.attest.inbox.forManager(item.on_behalf_of.name)}`}
        </span>
        <span class="item__flags">
          {item.times_returned > 0 && <span class="flag flag--info">{t.attest.inbox.returnedTimes(item.times_returned)}</span>}
          {item.warnings.map((warning) => (
            <span key={warning.code} class="flag flag--warning">
              <Icon name="warning" />{' '}
              <span class="visually-hidden">{t.attest.inbox.warning}: </span>
              {warning.message}
            </span>
          ))}
        </span>
      </a>
      <span class="item__amount">{quantity}</span>
    </SwipeRow>
  );
}
