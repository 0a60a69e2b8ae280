/**
 * The start page's "now" cards. Each card asks the API for its own data when it is shown, so
 * they load side by side: a slow or failing one never holds up the others, and says so itself.
 */
import type { ComponentChildren } from 'preact';

import { api } from '../../api';
import { addDays, daysBetween } from '../../calendar';
import { useT } from '../../i18n';
import {
  formatDate,
  formatDateRange,
  formatDateTime,
  formatHours,
  formatMoney,
  formatMonthName,
  formatNumber,
  formatPeriod,
  todayInSweden,
} from '../../i18n/format';
import { useLoad, type Loaded } from '../../useLoad';
import type { Inbox } from '../attest/model';
import { noticeHref, type NoticeList } from '../notifications/model';
import { toOre, type Payslip } from '../payslip/model';
import type { WeekSummary } from '../time/model';

/** GET `path` once the card is shown (and again on "Try again"); the answer or the problem. */
function useGet<T>(path: string): Loaded<T> {
  return useLoad((signal) => api.get<T>(path, { signal }), [path]);
}

/** One card: its heading, the content (or "loading" / a short failure with a retry), and the link to its page. */
function Card<T>({
  id,
  title,
  loaded,
  href,
  linkText,
  children,
}: {
  id: string;
  title: string;
  loaded: Loaded<T>;
  href: string;
  linkText: string;
  children: (data: T) => ComponentChildren;
}) {
  const t = useT();
  const { data, error, reload: retry } = loaded;
  return (
    <section class="card now-card" id={id} aria-labelledby={`${id}-heading`} aria-busy={!data && !error}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {error ? (
        <div class="now-card__failed">
          <p>
            {t.start.cardFailed}
            {error.problem.title && <span class="muted"> ({error.problem.title})</span>}
          </p>
          <button type="button" class="button button--secondary" onClick={retry}>
            {t.start.retry}
          </button>
        </div>
      ) : data ? (
        children(data)
      ) : (
        <p class="muted">{t.start.loadingCard}</p>
      )}
      <p class="now-card__more">
        <a href={href}>{linkText}</a>
      </p>
    </section>
  );
}

/** Manager, substitute or payroll: how much waits, the oldest item, and the cut-off it must meet. */
export function AttestCard({ onlyIfWaiting = false }: { onlyIfWaiting?: boolean }) {
  const t = useT();
  // Sorted oldest first: one item is enough to know the oldest; `total` counts them all.
  const loaded = useGet<Inbox>('/api/attest/inbox?limit=1&sort=oldest');
  if (onlyIfWaiting && !loaded.data?.total) return null;
  return (
    <Card id="now-attest" title={t.start.attestTitle} loaded={loaded} href="/attest" linkText={t.start.attestLink}>
      {(inbox) => {
        const oldest = inbox.items[0];
        const cutoff = inbox.next_cutoff;
        const daysLeft = daysBetween(todayInSweden(), cutoff.date);
        return (
          <>
            <p class="now-card__figure">{t.start.attestCount(inbox.total, formatNumber(inbox.total))}</p>
            {oldest && (
              <p>
                {t.start.attestOldest(oldest.days_waiting)}{' '}
                <a href={`/attest/items/${encodeURIComponent(oldest.id)}`}>
                  {t.attest.kinds[oldest.kind] ?? oldest.kind}, {oldest.employee.name}
                </a>
              </p>
            )}
            {inbox.total > 0 && (
              <p class={daysLeft <= 3 ? 'now-card__deadline now-card__deadline--near' : 'now-card__deadline'}>
                {t.start.attestCutoff(formatDate(cutoff.date, 'long'), formatMonthName(cutoff.pay_period))}{' '}
                {t.attest.cutoff.days(daysLeft)}.
              </p>
            )}
          </>
        );
      }}
    </Card>
  );
}

/** The employee's coming net pay, computed now, and what is not in it yet. */
export function PayCard() {
  const t = useT();
  const loaded = useGet<Payslip>('/api/payslips/preliminary');
  return (
    <Card id="now-pay" title={t.start.payTitle(loaded.data ? formatPeriod(loaded.data.period) : '…')} loaded={loaded} href="/payslip" linkText={t.start.payLink}>
      {(payslip) => {
        const shown = payslip.pending.slice(0, 3);
        const pendingOre = payslip.pending.reduce((sum, line) => sum + (line.amount ? toOre(line.amount) : 0n), 0n);
        return (
          <>
            <p class="now-card__money">
              <span class="now-card__label">{t.start.payNet}</span>
              <strong>{formatMoney(payslip.net_pay)}</strong>
            </p>
            <p class="muted">{t.start.payDate(formatDate(payslip.pay_date, 'long'))}</p>
            {payslip.pending.length === 0 ? (
              <p>{t.start.payNothingPending}</p>
            ) : (
              <>
                <p>
                  {t.start.payPending(payslip.pending.length)}
                  {pendingOre !== 0n && <span class="muted"> {formatMoney(oreToDecimal(pendingOre))}</span>}
                </p>
                <ul class="plain-list now-card__list">
                  {shown.map((line) => (
                    <li key={`${line.kind}-${line.item_id}-${line.status}`}>
                      <span>{line.text}</span>{' '}
                      <span class={`badge badge--pending-${line.status}`}>{t.payslip.statuses[line.status] ?? line.status}</span>
                    </li>
                  ))}
                </ul>
                {payslip.pending.length > shown.length && (
                  <p class="muted">{t.start.payMore(payslip.pending.length - shown.length)}</p>
                )}
              </>
            )}
          </>
        );
      }}
    </Card>
  );
}

function oreToDecimal(ore: bigint): string {
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Finished weeks (the last eight) that are not submitted yet, or were sent back. */
export function WeeksCard() {
  const t = useT();
  const loaded = useGet<WeekSummary[]>('/api/time/weeks');
  return (
    <Card id="now-weeks" title={t.start.weeksTitle} loaded={loaded} href="/time" linkText={t.start.weeksLink}>
      {(weeks) => {
        const today = todayInSweden();
        const open = weeks
          .filter(
            (week) =>
              (week.state === 'draft' || week.state === 'returned') &&
              addDays(week.week_start, 7) <= today &&
              // Weeks before the employment started (nothing expected, nothing reported) are not owed.
              (Number(week.expected_hours) > 0 || Number(week.total_hours) > 0),
          )
          .sort((a, b) => a.week_start.localeCompare(b.week_start));
        if (open.length === 0) return <p>{t.start.weeksNone}</p>;
        return (
          <>
            <p class="now-card__figure">{t.start.weeksOpen(open.length)}</p>
            <ul class="plain-list now-card__list">
              {open.slice(0, 4).map((week) => (
                <li key={week.week}>
                  <a href={`/time/weeks/${encodeURIComponent(week.week)}`}>
                    {t.start.week(Number(week.week.slice(-2)), formatDateRange(week.week_start, addDays(week.week_start, 6)))}
                  </a>{' '}
                  <span class={`badge badge--${week.state}`}>{t.start.weekStates[week.state]}</span>
                  <br />
                  <span class="muted">
                    {t.start.weekHours(formatHours(week.total_hours), formatHours(week.expected_hours))}
                  </span>
                </li>
              ))}
            </ul>
          </>
        );
      }}
    </Card>
  );
}

/** The latest few notifications and how many are unread. */
export function NoticesCard() {
  const t = useT();
  const loaded = useGet<NoticeList>('/api/notifications?limit=3');
  return (
    <Card id="now-notices" title={t.start.noticesTitle} loaded={loaded} href="/notifications" linkText={t.start.noticesLink}>
      {(list) =>
        list.items.length === 0 ? (
          <p>{t.start.noticesNone}</p>
        ) : (
          <>
            <p class="now-card__figure">{t.start.noticesUnread(list.unread)}</p>
            <ul class="plain-list now-card__list">
              {list.items.map((notice) => (
                <li key={notice.id} class={notice.read_at ? undefined : 'now-card__unread'}>
                  <a href={noticeHref(notice)}>
                    {!notice.read_at && <span class="visually-hidden">{t.start.unread} </span>}
                    {notice.title}
                  </a>
                  <br />
                  <span class="muted">{formatDateTime(notice.created_at)}</span>
                </li>
              ))}
            </ul>
          </>
        )
      }
    </Card>
  );
}
