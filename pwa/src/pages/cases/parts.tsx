import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../i18n/format';
import { isMessage, type CaseSummary, type TimelineEntry } from './model';

/** The status in words (never colour alone), and "Försenat" when payroll is late. */
export function CaseStatusBadge({ summary }: { summary: CaseSummary }) {
  const t = useT();
  return (
    <>
      <span class={`badge badge--case-${summary.status}`}>{t.cases.statuses[summary.status] ?? summary.status}</span>
      {summary.overdue && <span class="badge badge--returned">{t.cases.overdue}</span>}
    </>
  );
}

/** One row of a case list: what it is about, who reported it, when it is due. */
export function CaseRow({ summary, showReporter }: { summary: CaseSummary; showReporter: boolean }) {
  const t = useT();
  return (
    <li class="item">
      <a class="item__main" href={`/cases/${summary.id}`}>
        <span class="item__title">{summary.title}</span>
        <span class="item__meta">
          {t.cases.kinds[summary.subject_kind]}
          {showReporter && ` · ${summary.reporter.name}`}
          {` · ${t.cases.due} ${formatDate(summary.due_date, 'medium')}`}
          {showReporter && ` · ${summary.owner?.name ?? t.cases.unassigned}`}
        </span>
        <span class="item__flags">
          <CaseStatusBadge summary={summary} />
        </span>
      </a>
    </li>
  );
}

/** Messages and changes in the order they happened. */
export function Timeline({ entries }: { entries: TimelineEntry[] }) {
  const t = useT();
  return (
    <ol class="history case-timeline">
      {entries.map((entry) => (
        <li key={entry.sequence + entry.kind} class={isMessage(entry) ? 'history__entry case-message' : 'history__entry muted'}>
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
          <p>
            <strong>
              {entry.actor ?? t.cases.payroll}
              {entry.from_payroll && entry.actor ? ` (${t.cases.payroll})` : ''}
            </strong>
            {isMessage(entry) ? '' : `: ${entry.text}`}
          </p>
          {isMessage(entry) && <p class="case-message__text">{entry.text}</p>}
        </li>
      ))}
    </ol>
  );
}
