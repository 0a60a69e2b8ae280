/**
 * Pieces the time, leave and travel screens share: the list of problems an answer named (each
 * linked to its field), the attest status, and a short confirmation carried to the next screen.
 * (States, the back link and the history are in src/components/, the types in src/attest-types.ts.)
 */
import { signal } from '@preact/signals';

import type { ApiError, FieldError } from '../../api';
import type { AttestView, ItemState } from '../../attest-types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';

/** A short confirmation shown on the next screen ("Ansökan är inskickad"). */
export const notice = signal<string | null>(null);

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

/**
 * A refused save or submission at the top of the form, where focus goes (element `id`): the
 * problems with their fields when the server named them (422), else the problem as it came.
 */
export function FormProblems({
  id,
  error,
  where,
}: {
  id: string;
  error: ApiError | null;
  where: (field: string) => { label: string; anchor: string | null } | null;
}) {
  if (!error) return null;
  return error.status === 422 ? (
    <ProblemSummary id={id} error={error} where={where} />
  ) : (
    <div id={id} tabIndex={-1}>
      <ProblemAlert error={error} />
    </div>
  );
}

/** Focus an element once the page has drawn it (the problems after a refused save). */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

export function InlineError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} class="field__error">
      {message}
    </p>
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

