/** Pieces the attest screens share: the area's own menu, the cut-off banner, kinds, states and amounts. */
import { useLocation } from 'preact-iso';

import { daysBetween } from '../../calendar';
import { useT, type Messages } from '../../i18n';
import {
  formatDate,
  formatDateTime,
  formatDayMonth,
  formatHours,
  formatMoney,
  formatMonthName,
  formatPeriod,
  todayInSweden,
} from '../../i18n/format';
import { user } from '../../session';
import type { CutOff, HistoryEntry } from './model';

/** Insight and delegation are for managers and payroll; a substitute sees the inbox and the archive. */
export function canLead(): boolean {
  const roles = user.value?.roles ?? [];
  return roles.includes('manager') || roles.includes('payroll');
}

/** The attest area's own menu: inbox, archive, insight, delegation. */
export function AttestNav() {
  const t = useT();
  const { path } = useLocation();
  const links: Array<[string, string]> = [
    ['/attest', t.attest.nav.inbox],
    ['/attest/archive', t.attest.nav.archive],
  ];
  if (canLead()) {
    links.push(['/attest/insight', t.attest.nav.insight], ['/attest/delegations', t.attest.nav.delegations]);
  }
  return (
    <nav class="subnav" aria-label={t.attest.nav.label}>
      <ul>
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={href} aria-current={path === href ? 'page' : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Whole days from today (in Sweden) to a date; negative when it has passed. */
export function daysUntil(isoDate: string, now: Date = new Date()): number {
  return daysBetween(todayInSweden(now), isoDate);
}

/** "Attestera senast 8 december för att nå decemberlönen": the deadline that matters today. */
export function CutoffBanner({ cutoff }: { cutoff: CutOff }) {
  const t = useT();
  const days = daysUntil(cutoff.date);
  const urgent = days <= 3;
  return (
    <div class={urgent ? 'alert alert--warning cutoff' : 'alert alert--info cutoff'} role="note" aria-label={t.attest.cutoff.label}>
      <p class="cutoff__main">
        {t.attest.cutoff.banner(formatDayMonth(cutoff.date), formatMonthName(cutoff.pay_period))}
      </p>
      <p class="cutoff__more">
        {t.attest.cutoff.days(days)} · {t.attest.cutoff.payDate(formatDate(cutoff.pay_date, 'long'))}
      </p>
    </div>
  );
}

export function kindName(t: Messages, kind: string): string {
  return t.attest.kinds[kind] ?? kind;
}

/** The amount in kronor, or the hours for a time week, or nothing. */
export function quantityText(t: Messages, item: { amount: string | null; hours: string | null }): string {
  if (item.amount !== null) return formatMoney(item.amount);
  if (item.hours !== null) return t.attest.hours(formatHours(item.hours));
  return '';
}

/** The state in words (never colour alone). */
export function StateBadge({ state }: { state: string }) {
  const t = useT();
  return <span class={`badge badge--${state}`}>{t.attest.states[state] ?? state}</span>;
}

export function periodText(period: string | null): string {
  return period ? formatPeriod(period) : '';
}

/** Who did what, when and why: the item's audit trail. */
export function History({ entries, headingId }: { entries: HistoryEntry[]; headingId: string }) {
  const t = useT();
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t.attest.item.history}</h2>
      {entries.length === 0 ? (
        <p class="muted">{t.attest.item.noHistory}</p>
      ) : (
        <ol class="history">
          {entries.map((entry, index) => (
            <li key={index} class="history__entry">
              <time dateTime={entry.occurred_at}>{formatDateTime(entry.occurred_at)}</time>
              <p>
                <strong>{entry.actor ?? t.attest.item.system}</strong>
                {entry.on_behalf_of && ` ${t.attest.item.onBehalfOf(entry.on_behalf_of)}`}
                {': '}
                {t.attest.actions[entry.action] ?? entry.action}
              </p>
              {entry.reason && <p class="muted">{t.attest.item.reason(entry.reason)}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
