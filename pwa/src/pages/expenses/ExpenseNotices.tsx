/** What the expense page says above the form: the receipt's reading, its upload, what was refused. */
import type { ApiError, FieldError } from '../../api';
import { Icon } from '../../components/Icon';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { pendingPut } from '../../offline/outbox';
import { SHOWN_FIELD } from './form';
import type { ReadStatus as Status } from './hooks';
import type { ExpenseView } from './model';
import { UploadProgress } from './PendingUploads';
import type { PendingUpload } from './uploads';

/** How reading the receipt goes (announced as it changes). */
export function ReadStatus({ readStatus, unread }: { readStatus: Status; unread: boolean }) {
  const t = useT();
  const readMessage =
    readStatus === 'reading'
      ? t.expenses.reading
      : readStatus === 'slow'
        ? t.expenses.readSlow
        : readStatus === 'failed'
          ? t.expenses.readFailed
          : (readStatus === 'done' || readStatus === null) && unread
            ? t.expenses.readNothing
            : readStatus === 'done'
              ? t.expenses.readDone
              : '';
  const readClass = unread && readStatus !== 'reading' && readStatus !== 'slow' ? 'failed' : (readStatus ?? 'none');
  return (
    <p
      class={readMessage ? `read-status read-status--${readClass}` : 'read-status'}
      role="status"
    >
      {(readStatus === 'reading' || readStatus === 'slow') && <span class="spinner" aria-hidden="true" />}
      {readMessage}
    </p>
  );
}

export function ExpenseNotices({
  id,
  expense,
  pending,
  notice,
  problems,
  saveError,
}: {
  id: string;
  expense: ExpenseView;
  pending: PendingUpload | undefined;
  /** Saved, but what submitting would refuse is shown beside the fields. */
  notice: string | null;
  /** What submitting refused. */
  problems: FieldError[];
  saveError: ApiError | null;
}) {
  const t = useT();
  const editable = expense.editable;
  const unmatched = (saveError?.problem.errors ?? []).filter((error) => !SHOWN_FIELD.test(error.field));
  return (
    <>
    {pending && (
      <section class="card" aria-label={t.expenses.form.receipt}>
        <UploadProgress upload={pending} />
      </section>
    )}
    {pendingPut(`/api/expenses/${id}`) && <p class="alert alert--info">{t.offline.expenseWaiting}</p>}

    {!editable && (
      <p class="alert alert--info">{t.expenses.form.readOnly(t.expenses.states[expense.state])}</p>
    )}
    {notice && (
      <p class="alert alert--warning" role="status">
        {notice}
      </p>
    )}
    {problems.length > 0 && (
      <p class="alert alert--error" id="expense-problems" tabIndex={-1}>
        {t.expenses.form.claimProblems}
      </p>
    )}
    {expense.warnings.length > 0 && (
      <section class="alert alert--warning" aria-labelledby="expense-warnings">
        <h2 id="expense-warnings" class="alert__title">
          <Icon name="warning" />{' '}
          {t.expenses.form.warnings}
        </h2>
        <ul>
          {expense.warnings.map((warning, index) => (
            <li key={index}>
              {warning.message}
              {warning.related_expense_id && (
                <>
                  {' '}
                  <a href={`/expenses/${warning.related_expense_id}`}>{t.expenses.form.relatedExpense}</a>
                </>
              )}
            </li>
          ))}
        </ul>
      </section>
    )}
    {saveError && (
      <div id="expense-save-problems" tabIndex={-1}>
        <ProblemAlert error={saveError} />
        {unmatched.length > 0 && (
          <ul class="field__error">
            {unmatched.map((error) => (
              <li key={error.field}>
                {t.expenses.fields[error.field] ?? error.field}: {error.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    )}
    </>
  );
}
