import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';

import { api, ApiError, newId } from '../../api';
import { enqueue, sendOrQueue } from '../../offline/outbox';
import { ItemHistory } from '../../components/ItemHistory';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { StateBadge } from '../../components/StateBadge';
import { useT, type Messages } from '../../i18n';
import { formatDate, formatHours, formatWeekday } from '../../i18n/format';
import { useSubmission } from '../../submission';
import { useLoad } from '../../useLoad';
import type { ProjectView } from '../expenses/model';
import { AttestStatus, fieldMessage, focusSoon, FormProblems, InlineError, messagesUnder, notice } from './common';
import {
  blankRow,
  completeSpan,
  endsNextDay,
  partialSpan,
  shiftWeek,
  spanHours,
  sumHours,
  typedHours,
  toRowForm,
  toRowIn,
  UUID,
  WEEK,
  weekNumber,
  type ClockSpan,
  type CodesView,
  type DayView,
  type RowForm,
  type WeekView,
} from './model';
import { useProjectEntries, type ProjectEntry } from '../../project-search';
import { ReportError } from '../cases/ReportError';
import { RowProjectPicker } from './RowProjectPicker';
import { Icon } from '../../components/Icon';

/** "Tid": opens on the first week not yet submitted (or sent back). */
export function TimePage() {
  return <WeekScreen key="first-open" target={null} />;
}

/** `/time/weeks/2026-W47`, or a week's id as attest items and payslip lines name it. */
export function WeekPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  return <WeekScreen key={id} target={id} />;
}

type Busy = 'save' | 'submit' | null;

/** Where a problem from the server belongs on this page: its words and the element to jump to. */
function placeOf(t: Messages, view: WeekView, field: string): { label: string; anchor: string | null } | null {
  const parts = field.split('.');
  const day = (d: string | undefined) => {
    const found = view.days[Number(d)];
    return found ? formatWeekday(found.date, 'long') : '';
  };
  if (parts[0] === 'rows' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const row = Number(parts[1]);
    const label = t.time.rowN(row + 1);
    const what = parts[2];
    if (what === 'hours' && parts[3] !== undefined) {
      // The server's message names the day itself.
      return { label, anchor: `time-row-${row}-day-${parts[3]}` };
    }
    if (what === 'clock') {
      return parts[3] !== undefined
        ? { label: `${label}, ${day(parts[3])}`, anchor: `time-row-${row}-clock-${parts[3]}-start` }
        : { label, anchor: `time-row-${row}-clock` };
    }
    if (what === 'code') return { label: `${label}, ${t.time.code}`, anchor: `time-row-${row}-code` };
    if (what === 'project_id') return { label: `${label}, ${t.time.project}`, anchor: `time-row-${row}-project` };
    if (what === 'comment' || what === 'support_code' || what === 'invoice_text') {
      return { label: `${label}, ${t.time.fields[what]}`, anchor: `time-row-${row}-${what}` };
    }
    return { label, anchor: `time-row-${row}` };
  }
  if (parts[0] === 'days' && parts[1] !== undefined) return { label: day(parts[1]), anchor: `time-day-${parts[1]}` };
  return null;
}

function WeekScreen({ target }: { target: string | null }) {
  const t = useT();
  const [view, setView] = useState<WeekView | null>(null);
  const [rows, setRows] = useState<RowForm[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [dirty, setDirty] = useState(false);
  const [message, setMessage] = useState<string | null>(() => notice.peek());
  const submission = useSubmission();
  const submitKey = submission.key;
  /** A save made without a connection, waiting on the phone (src/offline/): a submission goes after it. */
  const queuedSave = useRef<string | null>(null);

  const adopt = (next: WeekView) => {
    setView(next);
    setRows(next.rows.map(toRowForm));
    setDirty(false);
  };

  useEffect(() => {
    notice.value = null;
  }, []);
  const { error: loadError } = useLoad(async (signal) => {
    if (target !== null && !WEEK.test(target) && !UUID.test(target)) {
      throw new ApiError({ title: t.time.notFound, status: 404, code: 'not_found' });
    }
    const path = target === null ? '/api/time/weeks/first-open' : `/api/time/weeks/${encodeURIComponent(target)}`;
    const found = await api.get<WeekView>(path, { signal });
    if (!signal.aborted) adopt(found);
    return found;
  }, []);
  // The time codes and the projects for the rows' pickers (without them: the codes the rows have, no projects).
  const codes = useLoad((signal) => api.get<CodesView>('/api/time/codes', { signal }), []).data;
  const projectsLoad = useLoad((signal) => api.get<ProjectView[]>('/api/projects', { signal }), []);
  const projects = projectsLoad.error ? [] : projectsLoad.data;
  const entries = useProjectEntries(projects);

  if (!view) {
    return (
      <PageLoad
        error={loadError}
        lead={<PageHeading title={t.time.title} />}
        notFound={
          <>
            <p>{t.time.notFound}</p>
            <p>
              <a href="/time">{t.time.firstOpen}</a>
            </p>
          </>
        }
      />
    );
  }

  const editable = view.editable;
  const lockedDays = view.days.map((day) => day.locked);
  const defaultCode = codes?.codes.find((code) => code.kind === 'work')?.code ?? 'work';
  const liveTotal = editable ? sumHours(rows.flatMap((row) => row.hours)) : Number(view.total_hours);
  const expected = Number(view.expected_hours);
  const dayTotals = view.days.map((day, d) =>
    editable ? sumHours(rows.map((row) => row.hours[d] ?? '')) : Number(day.total_hours),
  );

  const change = (index: number, next: Partial<RowForm>) => {
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...next } : row)));
    setDirty(true);
  };

  const focusProblems = () => focusSoon('time-problems');

  const save = async (): Promise<boolean> => {
    setError(null);
    setMessage(null);
    // The API takes a whole span or none: a start without an end (or the reverse) is asked for here.
    const halfTyped = rows.flatMap((row, i) =>
      row.clock.flatMap((span, d) =>
        partialSpan(span) ? [{ field: `rows.${i}.clock.${d}`, code: 'time.clock_incomplete', message: t.time.clock.incomplete }] : [],
      ),
    );
    if (halfTyped.length) {
      setError(new ApiError({ title: t.time.clock.cannotSave, status: 422, code: 'validation_failed', errors: halfTyped }));
      focusProblems();
      return false;
    }
    try {
      const sent = await sendOrQueue<WeekView>({
        id: newId(),
        kind: 'week',
        method: 'PUT',
        path: `/api/time/weeks/${view.week}`,
        body: { rows: rows.map(toRowIn), comment: view.comment },
        summary: { title: view.week, href: `/time/weeks/${view.week}` },
      });
      if (sent.queued) {
        queuedSave.current = sent.item.id;
        setDirty(false);
      } else {
        queuedSave.current = null;
        adopt(sent.data);
      }
      return true;
    } catch (caught) {
      if (caught instanceof ApiError) {
        setError(caught);
        focusProblems();
      }
      return false;
    }
  };

  const onSave = async () => {
    if (busy) return;
    setBusy('save');
    if (await save()) setMessage(queuedSave.current ? t.offline.savedOnPhone : t.time.saved);
    setBusy(null);
  };

  const onSubmit = async () => {
    if (busy) return;
    setBusy('submit');
    if (dirty && !(await save())) {
      setBusy(null);
      return;
    }
    setError(null);
    setMessage(null);
    // One key for every try of this submission: a repeat after a lost answer submits once.
    submitKey.current ??= newId();
    // Without a connection the submission waits on the phone, after the week's saved rows.
    const queueSubmit = async (): Promise<boolean> => {
      const item = await enqueue({
        kind: 'week-submit',
        method: 'POST',
        path: `/api/time/weeks/${view.week}/submit`,
        idempotencyKey: submitKey.current ?? newId(),
        ...(queuedSave.current ? { after: queuedSave.current } : {}),
        summary: { title: view.week, href: `/time/weeks/${view.week}` },
      });
      if (!item) return false;
      submitKey.current = null;
      queuedSave.current = null;
      setMessage(t.offline.savedOnPhone);
      setBusy(null);
      return true;
    };
    if ((!navigator.onLine || queuedSave.current) && (await queueSubmit())) return;
    try {
      adopt(await submission.post<WeekView>(`/api/time/weeks/${view.week}/submit`));
      setMessage(t.time.submitted);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 0 && (await queueSubmit())) return;
      if (caught instanceof ApiError) {
        setError(caught);
        focusProblems();
      }
    } finally {
      setBusy(null);
    }
  };

  const leaveIfSaved = (event: Event) => {
    if (dirty && !window.confirm(t.time.unsaved)) event.preventDefault();
  };

  const number = weekNumber(view.week);
  const difference = liveTotal - expected;

  return (
    <div class="stack">
      <div class="page-title">
        <PageHeading title={t.time.heading(number)} />
        <StateBadge state={view.state} />
      </div>
      <p class="muted week-range">
        {formatDate(view.week_start, 'medium')} – {formatDate(view.week_end, 'medium')}
      </p>

      <nav class="week-nav" aria-label={t.time.weeks}>
        <a class="button button--secondary has-icon" href={`/time/weeks/${shiftWeek(view.week_start, -1)}`} onClick={leaveIfSaved}>
          <span aria-hidden="true">←</span>
          {t.time.previous(weekNumber(shiftWeek(view.week_start, -1)))}
        </a>
        <a class="button button--secondary has-icon" href={`/time/weeks/${shiftWeek(view.week_start, 1)}`} onClick={leaveIfSaved}>
          {t.time.next(weekNumber(shiftWeek(view.week_start, 1)))}
          <span aria-hidden="true">→</span>
        </a>
      </nav>

      <p role="status" class={message ? 'alert alert--success' : 'visually-hidden'}>
        {message}
      </p>
      <AttestStatus
        state={view.state}
        attest={view.attest}
        returnedTitle={t.time.returned}
        returnedHint={t.time.returnedHint}
      />
      <FormProblems id="time-problems" error={error} where={(field) => placeOf(t, view, field)} />

      <section class="card" aria-labelledby="time-summary">
        <h2 id="time-summary">{t.time.summary}</h2>
        <p class="week-total">
          <strong>{t.time.reported(formatHours(liveTotal), formatHours(expected))}</strong>
        </p>
        <p class="muted" aria-live="polite">
          {difference === 0
            ? t.time.onTarget
            : difference > 0
              ? t.time.over(formatHours(difference))
              : t.time.under(formatHours(-difference))}
        </p>
        <DayTable days={view.days} totals={dayTotals} error={error} />
        {view.ob.length > 0 && (
          <p class="week-ob">
            {t.time.ob}: {view.ob.map((ob) => `${ob.name} ${formatHours(ob.hours)} ${t.time.hoursUnit}`).join(', ')}
          </p>
        )}
      </section>

      <section class="stack" aria-labelledby="time-rows">
        <h2 id="time-rows">{t.time.rows}</h2>
        {rows.length === 0 && <p class="muted">{editable ? t.time.noRowsHint : t.time.noRows}</p>}
        {editable ? (
          <ol class="plain-list stack">
            {rows.map((row, index) => (
              <RowEditor
                key={row.key}
                row={row}
                index={index}
                days={view.days}
                locked={lockedDays}
                codes={codes}
                entries={entries}
                projectsLoading={projects === null}
                error={error}
                onChange={(next) => change(index, next)}
                onRemove={() => {
                  setRows((current) => current.filter((_, i) => i !== index));
                  setDirty(true);
                  requestAnimationFrame(() => document.getElementById('time-add-row')?.focus());
                }}
              />
            ))}
          </ol>
        ) : (
          <ol class="plain-list stack">
            {view.rows.map((row, index) => (
              <li key={row.id} class="card">
                <h3 class="time-row__title">{t.time.rowN(index + 1)}</h3>
                <dl class="facts facts--compact">
                  <div>
                    <dt>{t.time.project}</dt>
                    <dd>{row.project ? `${row.project.path} – ${row.project.name}` : '–'}</dd>
                  </div>
                  <div>
                    <dt>{t.time.code}</dt>
                    <dd>{row.code_name}</dd>
                  </div>
                  {view.days.map((day, d) =>
                    row.hours[d] && Number(row.hours[d]) ? (
                      <div key={day.date}>
                        <dt>{formatWeekday(day.date, 'long')}</dt>
                        <dd>
                          {formatHours(row.hours[d] ?? '0')} {t.time.hoursUnit}
                          {row.clock[d] && ` (${row.clock[d]?.start}–${row.clock[d]?.end})`}
                        </dd>
                      </div>
                    ) : null,
                  )}
                  <div>
                    <dt>{t.time.rowTotal}</dt>
                    <dd>
                      {formatHours(row.total)} {t.time.hoursUnit}
                    </dd>
                  </div>
                  {(['comment', 'support_code', 'invoice_text'] as const).map((key) =>
                    row[key] ? (
                      <div key={key}>
                        <dt>{t.time.fields[key]}</dt>
                        <dd>{row[key]}</dd>
                      </div>
                    ) : null,
                  )}
                </dl>
              </li>
            ))}
          </ol>
        )}
        {editable && (
          <button
            id="time-add-row"
            type="button"
            class="button button--secondary has-icon"
            onClick={() => {
              setRows((current) => [...current, blankRow(defaultCode)]);
              setDirty(true);
              const next = rows.length;
              requestAnimationFrame(() => document.getElementById(`time-row-${next}-project-search`)?.focus());
            }}
          >
            <span aria-hidden="true">+</span>
            {t.time.addRow}
          </button>
        )}
      </section>

      {editable && (
        <div class="action-bar">
          <div class="button-row">
            <button type="button" class="button button--secondary" aria-disabled={busy !== null} onClick={() => void onSave()}>
              {busy === 'save' ? t.time.saving : t.time.save}
            </button>
            <button type="button" class="button button--primary" aria-disabled={busy !== null} onClick={() => void onSubmit()}>
              {busy === 'submit' ? t.time.submitting : view.state === 'returned' ? t.time.resubmit : t.time.submit}
            </button>
          </div>
          {dirty && <p class="muted action-bar__note">{t.time.unsavedNote}</p>}
        </div>
      )}

      {view.attest && (
        <ReportError
          subject={{ subject_kind: 'item', item_id: view.attest.item_id }}
          about={t.time.heading(Number(view.week.slice(6)))}
          id="report-week"
        />
      )}
      <ItemHistory entries={view.history} id="time-history" />
    </div>
  );
}

/** The week's days: schedule, reported hours, holidays and eves, locked days, leave. */
function DayTable({ days, totals, error }: { days: DayView[]; totals: number[]; error: ApiError | null }) {
  const t = useT();
  return (
    <div class="table-scroll">
      <table class="table week-days">
        <caption class="visually-hidden">{t.time.daysCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{t.time.day}</th>
            <th scope="col" class="num">
              {t.time.scheduled}
            </th>
            <th scope="col" class="num">
              {t.time.reportedShort}
            </th>
          </tr>
        </thead>
        <tbody>
          {days.map((day, d) => {
            const problem = fieldMessage(error, `days.${d}.hours`);
            return (
              <tr key={day.date} id={`time-day-${d}`} class={problem ? 'row--warning' : undefined}>
                <th scope="row">
                  {formatWeekday(day.date, 'day')}
                  {day.holiday && <span class="table__sub day-mark day-mark--holiday">{day.holiday}</span>}
                  {day.eve && <span class="table__sub day-mark">{day.eve}</span>}
                  {day.locked && (
                    <span class="table__sub day-mark">
                      <Icon name="lock" />{' '}
                      {day.lock_reason ? t.time.lockedBecause(day.lock_reason) : t.time.locked}
                    </span>
                  )}
                  {day.qualifying_day && <span class="table__sub">{t.time.qualifyingDay}</span>}
                  {day.leave.map((leave) => (
                    <span key={leave.request_id} class="table__sub">
                      {t.time.leaveMark(t.expenses.states[leave.state] ?? leave.state)}
                    </span>
                  ))}
                  {day.ob.map((ob) => (
                    <span key={ob.item} class="table__sub day-ob">
                      {ob.name} {formatHours(ob.hours)} {t.time.hoursUnit}
                    </span>
                  ))}
                  {problem && <span class="table__sub field__error">{problem}</span>}
                </th>
                <td class="num">{formatHours(day.scheduled_hours)}</td>
                <td class="num">{formatHours(totals[d] ?? 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RowEditor({
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

/**
 * One day's clock times on a row: start and end, then what they mean as the API counts them
 * (the shift's hours, a next-day end, the break the hours leave) and the server's problem, if any.
 */
function ClockDay({
  id,
  day,
  rowLabel,
  span,
  hours,
  absence,
  locked,
  problem,
  hintId,
  onInput,
  onClear,
}: {
  id: string;
  day: DayView;
  rowLabel: string;
  span: ClockSpan | null;
  hours: string;
  absence: boolean;
  locked: boolean;
  problem: string | undefined;
  hintId: string;
  onInput: (part: keyof ClockSpan, value: string) => void;
  onClear: () => void;
}) {
  const t = useT();
  const shift = spanHours(span);
  const reported = typedHours(hours);
  const given = reported !== null && reported > 0;
  let note: string | null = null;
  let warning = false;
  if (span && absence) {
    note = t.time.clock.onAbsence;
    warning = true;
  } else if (partialSpan(span)) {
    note = t.time.clock.incomplete;
  } else if (completeSpan(span) && shift !== null) {
    if (!given) {
      note = t.time.clock.noHours;
      warning = true;
    } else if (reported > shift) {
      note = t.time.clock.tooFew(formatHours(reported), formatHours(shift));
      warning = true;
    } else {
      note = [
        t.time.clock.span(formatHours(shift)),
        endsNextDay(span) ? t.time.clock.nextDay : null,
        reported < shift ? t.time.clock.breakHours(formatHours(shift - reported)) : null,
      ]
        .filter(Boolean)
        .join(', ');
    }
  }
  if (note && problem?.includes(note)) note = null; // the server's (or the form's) message says it already
  const describedBy = [problem && `${id}-error`, note && `${id}-note`, hintId].filter(Boolean).join(' ');
  const context = `, ${formatWeekday(day.date, 'day')}, ${rowLabel}`;
  const input = (part: keyof ClockSpan) => (
    <>
      <label for={`${id}-${part}`} class="visually-hidden">
        {part === 'start' ? t.time.clock.start : t.time.clock.end}
        {context}
      </label>
      <input
        id={`${id}-${part}`}
        type="time"
        step={900}
        autocomplete="off"
        value={span?.[part] ?? ''}
        readOnly={locked}
        onInput={(event) => onInput(part, event.currentTarget.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy}
      />
    </>
  );
  return (
    <div class="clock-day" role="group" aria-labelledby={`${id}-day`}>
      <span id={`${id}-day`} class={day.working_day ? 'clock-day__day' : 'clock-day__day clock-day__day--off'}>
        {formatWeekday(day.date, 'short')}
        <span class="visually-hidden">, {rowLabel}</span>
      </span>
      <div class="clock-day__time">{input('start')}</div>
      <div class="clock-day__time">{input('end')}</div>
      {(note || (span && !locked) || problem) && (
        <div class="clock-day__below">
          {note && (
            <p id={`${id}-note`} class={warning ? 'clock-day__note clock-day__note--warning' : 'clock-day__note'}>
              {note}
            </p>
          )}
          {span && !locked && (
            <button type="button" class="button button--secondary clock-day__clear" onClick={onClear}>
              {t.time.clock.clear}
              <span class="visually-hidden">
                : {t.time.clock.legend(formatWeekday(day.date, 'day'))}, {rowLabel}
              </span>
            </button>
          )}
          <InlineError id={`${id}-error`} message={problem} />
        </div>
      )}
    </div>
  );
}
