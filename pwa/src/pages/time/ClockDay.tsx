import { useT } from '../../i18n';
import { formatHours, formatWeekday } from '../../i18n/format';
import { InlineError } from './common';
import { completeSpan, endsNextDay, partialSpan, spanHours, typedHours, type ClockSpan, type DayView } from './model';

/**
 * One day's clock times on a row: start and end, then what they mean as the API counts them
 * (the shift's hours, a next-day end, the break the hours leave) and the server's problem, if any.
 */
export function ClockDay({
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
