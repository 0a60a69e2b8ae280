/**
 * Pieces the time, leave and travel screens share: states, the back link, the event history,
 * the list of problems an answer named (each linked to its field), and a short confirmation
 * carried to the next screen.
 */
import { signal } from '@preact/signals';

import type { ApiError, FieldError } from '../../api';
import { useT } from '../../i18n';
import { formatDateTime } from '../../i18n/format';

export type ItemState = 'draft' | 'submitted' | 'approved' | 'returned' | 'locked';

export interface PersonRef {
  id: string;
  name: string;
}

export interface AttestView {
  state: string;
  submitted_at: string;
  decided_at: string | null;
  return_reason: string | null;
  pay_period: string | null;
  times_returned: number;
}

export interface HistoryEntry {
  occurred_at: string;
  action: string;
  actor: string | null;
  on_behalf_of: string | null;
  reason: string | null;
}

/** A short confirmation shown on the next screen ("Ansökan är inskickad"). */
export const notice = signal<string | null>(null);

/** The state in words (never colour alone). */
export function StateBadge({ state }: { state: ItemState }) {
  const t = useT();
  return <span class={`badge badge--${state}`}>{t.expenses.states[state]}</span>;
}

export function BackLink({ href, text }: { href: string; text: string }) {
  return (
    <p class="back-link">
      <a href={href}>
        <span aria-hidden="true">←</span>
        {text}
      </a>
    </p>
  );
}

/** The message for a field (exact path), if the last answer named it. */
export function fieldMessage(error: ApiError | null, field: string): string | undefined {
  return error?.problem.errors?.find((problem) => problem.field === field)?.message;
}

/** All messages for a field and the paths below it (`rows.0` finds `rows.0.hours.3`). */
export function messagesUnder(error: ApiError | null, prefix: string): FieldError[] {
  return (error?.problem.errors ?? []).filter(
    (problem) => problem.field === prefix || problem.field.startsWith(`${prefix}.`),
  );
}

/**
 * What the server refused, at the top of the form: its title and detail, and every problem with
 * a link to the field it belongs to (`where` names the field and gives its element id). Focus
 * moves here after a refused save, so screen readers hear it at once.
 */
export function ProblemSummary({
  id,
  error,
  where,
}: {
  id: string;
  error: ApiError;
  where: (field: string) => { label: string; anchor: string | null } | null;
}) {
  const problems = error.problem.errors ?? [];
  return (
    <section class="alert alert--error" id={id} tabIndex={-1} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="alert__title">
        {error.problem.title}
      </h2>
      {error.problem.detail && <p>{error.problem.detail}</p>}
      {problems.length > 0 && (
        <ul>
          {problems.map((problem, index) => {
            const place = where(problem.field);
            return (
              <li key={`${problem.field}-${index}`}>
                {place?.anchor ? (
                  <a href={`#${place.anchor}`}>
                    {place.label}: {problem.message}
                  </a>
                ) : place ? (
                  `${place.label}: ${problem.message}`
                ) : (
                  problem.message
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

export function InlineError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="field__error">
      {message}
    </p>
  );
}

/** Who did what, when and why. */
export function History({ entries, id }: { entries: HistoryEntry[]; id: string }) {
  const t = useT();
  if (!entries.length) return null;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{t.expenses.claim.history}</h2>
      <ol class="history">
        {entries.map((entry, index) => (
          <li key={index} class="history__entry">
            <time dateTime={entry.occurred_at}>{formatDateTime(entry.occurred_at)}</time>
            <p>
              <strong>{entry.actor ?? t.expenses.claim.system}</strong>
              {entry.on_behalf_of && ` ${t.expenses.claim.onBehalfOf(entry.on_behalf_of)}`}
              {': '}
              {t.expenses.claim.actions[entry.action] ?? entry.action}
            </p>
            {entry.reason && <p class="muted">{t.expenses.claim.reason(entry.reason)}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Skickades tillbaka" with the manager's reason, or "Väntar på attest". */
export function AttestStatus({
  state,
  attest,
  returnedTitle,
  returnedHint,
}: {
  state: ItemState;
  attest: AttestView | null;
  returnedTitle: string;
  returnedHint: string;
}) {
  const t = useT();
  if (state === 'returned') {
    return (
      <section class="alert alert--warning" aria-label={returnedTitle}>
        <p class="alert__title">
          <span aria-hidden="true">↩ </span>
          {returnedTitle}
        </p>
        {attest?.return_reason && <p>{t.expenses.claim.returnedReason(attest.return_reason)}</p>}
        <p>{returnedHint}</p>
      </section>
    );
  }
  if (state === 'submitted') return <p class="alert alert--info">{t.expenses.claim.waiting}</p>;
  return null;
}

/** Today's date in Sweden ("2026-11-23"). */
export function todayInSweden(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

/** A date plus some days, as ISO dates ("2026-11-23" + 7 -> "2026-11-30"). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return date.toISOString().slice(0, 10);
}
