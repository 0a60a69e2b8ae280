import { useEffect, useState } from 'preact/hooks';

import type { ApiError } from '../../api';
import { Icon } from '../../components/Icon';
import { useT } from '../../i18n';
import { formatHours, formatWeekday } from '../../i18n/format';
import type { ProjectEntry } from '../../project-search';
import { ClockDay } from './ClockDay';
import { fieldMessage, InlineError, messagesUnder } from './common';
import { spanHours, sumHours, typedHours, type ClockSpan, type CodesView, type DayView, type RowForm } from './model';
import { RowProjectPicker } from './RowProjectPicker';

/** One row of the week being edited: project, time code, hours per day, clock times, the rest. */
export function RowEditor({
  row,
  index,
  days,
  locked,
  codes,
  entries,
  projectsLoading,
  error,
  onChange,
  onRemove,
}: {
  row: RowForm;
  index: number;
  days: DayView[];
  locked: boolean[];
  codes: CodesView | null;
  entries: ProjectEntry[];
  projectsLoading: boolean;
  error: ApiError | null;
  onChange: (next: Partial<RowForm>) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const prefix = `time-row-${index}`;
  const label = t.time.rowN(index + 1);
  const codeError = fieldMessage(error, `rows.${index}.code`);
  const extraErrors = ['comment', 'support_code', 'invoice_text'].some((key) => fieldMessage(error, `rows.${index}.${key}`));
  const dayErrors = days.map(
    (_, d) =>
      messagesUnder(error, `rows.${index}.hours.${d}`)
        .map((problem) => problem.message)
        .join(' ') || undefined,
  );
  const clockErrors = days.map(
    (_, d) =>
      messagesUnder(error, `rows.${index}.clock.${d}`)
        .map((problem) => problem.message)
        .join(' ') || undefined,
  );
  const clockError = fieldMessage(error, `rows.${index}.clock`);
  const hasClock = row.clock.some((span) => !!span && (span.start !== '' || span.end !== ''));
  const kind = codes?.codes.find((code) => code.code === row.code)?.kind;
  const [clockOpen, setClockOpen] = useState(hasClock);
  const clockProblem = !!clockError || clockErrors.some(Boolean);
  useEffect(() => {
    if (clockProblem) setClockOpen(true);
  }, [error]);

  /** A start or end typed: an empty day (or one still at the shift's length) takes the shift's hours. */
  const setClock = (d: number, part: keyof ClockSpan, value: string) => {
    const before = row.clock[d] ?? null;
    const next: ClockSpan = { start: before?.start ?? '', end: before?.end ?? '', [part]: value };
    const clock = days.map((_, i) => (i === d ? (next.start || next.end ? next : null) : (row.clock[i] ?? null)));
    const shift = spanHours(next);
    const typed = typedHours(row.hours[d] ?? '');
    const previous = spanHours(before);
    const untouched = (row.hours[d] ?? '').trim() === '' || (previous !== null && typed === previous);
    const fill = shift !== null && Number.isInteger(shift * 4) && kind !== 'absence' && untouched;
    onChange(fill ? { clock, hours: row.hours.map((hours, i) => (i === d ? String(shift) : hours)) } : { clock });
  };
  const clearClock = (d: number) => {
    onChange({ clock: days.map((_, i) => (i === d ? null : (row.clock[i] ?? null))) });
    requestAnimationFrame(() => document.getElementById(`${prefix}-clock-${d}-start`)?.focus());
  };
  const rowErrors = (error?.problem.errors ?? []).filter((problem) => problem.field === `rows.${index}`);
  const total = sumHours(row.hours);
  const groups: Array<[string, string]> = [
    ['work', t.time.kinds.work],
    ['extra', t.time.kinds.extra],
    ['absence', t.time.kinds.absence],
  ];
  const known = codes?.codes.some((code) => code.code === row.code) ?? false;

  return (
    <li class="card time-row" id={prefix} tabIndex={-1}>
      <h3 id={`${prefix}-title`} class="time-row__title">
        {label}
        {row.project && <span class="muted"> · {row.project.name}</span>}
      </h3>
      {rowErrors.map((problem, i) => (
        <p key={i} class="field__error">
          {problem.message}
        </p>
      ))}
      <RowProjectPicker
        id={`${prefix}-project`}
        rowLabel={label}
        value={row.project}
        entries={entries}
        loading={projectsLoading}
        onChange={(project) => onChange({ project })}
        error={fieldMessage(error, `rows.${index}.project_id`)}
      />
      <div class="field">
        <label for={`${prefix}-code`}>{t.time.code}</label>
        <select
          id={`${prefix}-code`}
          value={row.code}
          onChange={(event) => onChange({ code: event.currentTarget.value })}
          aria-invalid={codeError ? true : undefined}
          aria-describedby={codeError ? `${prefix}-code-error` : undefined}
        >
          {!known && <option value={row.code}>{row.code}</option>}
          {groups.map(([kind, name]) => {
            const list = codes?.codes.filter((code) => code.kind === kind) ?? [];
            return list.length ? (
              <optgroup key={kind} label={name}>
                {list.map((code) => (
                  <option key={code.code} value={code.code}>
                    {code.name}
                  </option>
                ))}
              </optgroup>
            ) : null;
          })}
        </select>
        <InlineError id={`${prefix}-code-error`} message={codeError} />
      </div>

      <fieldset class="fieldset">
        <legend>{t.time.hoursLegend}</legend>
        <p class="field__hint" id={`${prefix}-hours-hint`}>
          {t.time.hoursHint}
        </p>
        <div class="hours-grid">
          {days.map((day, d) => {
            const id = `${prefix}-day-${d}`;
            const problem = dayErrors[d];
            const describedBy =
              [problem && `${id}-error`, locked[d] && `${id}-locked`, `${prefix}-hours-hint`].filter(Boolean).join(' ') ||
              undefined;
            return (
              <div key={day.date} class={day.working_day ? 'hours-cell' : 'hours-cell hours-cell--off'}>
                <label for={id}>
                  {formatWeekday(day.date, 'short')}
                  <span class="visually-hidden">, {label}</span>
                </label>
                {(day.holiday || day.eve) && (
                  <span class="hours-cell__mark">{day.holiday ? t.time.holiday : t.time.eve}</span>
                )}
                <input
                  id={id}
                  type="text"
                  inputMode="decimal"
                  autocomplete="off"
                  value={row.hours[d] ?? ''}
                  readOnly={locked[d]}
                  onInput={(event) =>
                    onChange({ hours: row.hours.map((value, i) => (i === d ? event.currentTarget.value : value)) })
                  }
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={describedBy}
                />
                {locked[d] && (
                  <span id={`${id}-locked`} class="hours-cell__mark">
                    <Icon name="lock" />{' '}
                    {t.time.locked}
                  </span>
                )}
              </div>
            );
          })}
        </div>
        {dayErrors.map((problem, d) =>
          problem ? (
            <p key={d} id={`${prefix}-day-${d}-error`} class="field__error">
              {problem}
            </p>
          ) : null,
        )}
        <p class="time-row__total">
          {t.time.rowTotal}: <strong>{formatHours(total)} {t.time.hoursUnit}</strong>
        </p>
      </fieldset>

      {(kind !== 'absence' || hasClock || clockProblem) && (
        <details
          class="disclosure clock"
          id={`${prefix}-clock`}
          tabIndex={-1}
          open={clockOpen}
          onToggle={(event) => setClockOpen(event.currentTarget.open)}
        >
          <summary>
            {t.time.clock.summary}
            <span class="visually-hidden">: {label}</span>
          </summary>
          <p class="field__hint" id={`${prefix}-clock-hint`}>
            {t.time.clock.hint}
          </p>
          <InlineError id={`${prefix}-clock-error`} message={clockError} />
          <div class="clock-days">
            <div class="clock-days__head" aria-hidden="true">
              <span />
              <span>{t.time.clock.start}</span>
              <span>{t.time.clock.end}</span>
            </div>
            {days.map((day, d) => (
              <ClockDay
                key={day.date}
                id={`${prefix}-clock-${d}`}
                day={day}
                rowLabel={label}
                span={row.clock[d] ?? null}
                hours={row.hours[d] ?? ''}
                absence={kind === 'absence'}
                locked={locked[d] ?? false}
                problem={clockErrors[d]}
                hintId={`${prefix}-clock-hint`}
                onInput={(part, value) => setClock(d, part, value)}
                onClear={() => clearClock(d)}
              />
            ))}
          </div>
        </details>
      )}

      <details class="disclosure" open={extraErrors || undefined}>
        <summary>
          {t.time.more}
          <span class="visually-hidden">: {label}</span>
        </summary>
        <div class="stack">
          {(['comment', 'support_code', 'invoice_text'] as const).map((key) => {
            const id = `${prefix}-${key}`;
            const problem = fieldMessage(error, `rows.${index}.${key}`);
            return (
              <div key={key} class="field">
                <label for={id}>
                  {t.time.fields[key]} <span class="muted">{t.expenses.form.optional}</span>
                </label>
                <input
                  id={id}
                  autocomplete="off"
                  maxLength={key === 'support_code' ? 40 : 500}
                  value={row[key]}
                  onInput={(event) => onChange({ [key]: event.currentTarget.value })}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${id}-error` : undefined}
                />
                <InlineError id={`${id}-error`} message={problem} />
              </div>
            );
          })}
        </div>
      </details>

      {!locked.some((isLocked, d) => isLocked && row.hours[d]) && (
        <div class="button-row">
          <button type="button" class="button button--danger" onClick={onRemove}>
            {t.time.removeRow}
            <span class="visually-hidden">: {label}</span>
          </button>
        </div>
      )}
    </li>
  );
}
