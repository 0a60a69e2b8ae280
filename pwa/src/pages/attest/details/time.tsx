/**
 * A time week in the attest view: the week's figures against the schedule, every row with its
 * hours Monday to Sunday in one table (it scrolls sideways on a phone, the row names stay put),
 * and the days worth a second look (holidays, sick days, locked days, leave).
 */
import { useT, type Messages } from '../../../i18n';
import { formatDate, formatHours, formatWeekday } from '../../../i18n/format';
import { weekNumber, type DayView, type RowView, type WeekView } from '../../time/model';

function sum(values: Array<string | null>): number {
  return values.reduce((total, value) => total + Math.round(Number(value ?? 0) * 100), 0) / 100;
}

/** What to know about a day before approving it, each in words (never a colour alone). */
function dayNotes(t: Messages, day: DayView): string[] {
  const notes: string[] = [];
  if (day.holiday) notes.push(`${t.time.holiday}: ${day.holiday}`);
  if (day.eve) notes.push(day.eve);
  if (day.sick_note) notes.push(day.sick_note);
  else if (day.qualifying_day) notes.push(t.time.qualifyingDay);
  if (day.locked) notes.push(day.lock_reason ? t.time.lockedBecause(day.lock_reason) : t.time.locked);
  for (const leave of day.leave) notes.push(t.time.leaveMark(t.attest.states[leave.state] ?? leave.state));
  return notes;
}

export function TimeWeekDetail({ detail }: { detail: unknown }) {
  const t = useT();
  const week = detail as WeekView;
  const hours = (value: string | number) => t.attest.hours(formatHours(value));
  const difference = Number(week.difference);
  const extra = sum(week.days.map((day) => day.extra_hours));
  const absence = sum(week.days.map((day) => day.absence_hours));
  const absenceCodes = [...new Set(week.rows.filter((row) => row.kind === 'absence').map((row) => row.code_name))];
  const notes = week.days.flatMap((day) => dayNotes(t, day).map((note) => [day.date, note] as const));

  return (
    <>
      <section class="card stack" aria-labelledby="attest-week-heading">
        <h2 id="attest-week-heading">
          {t.attest.time.heading(
            weekNumber(week.week),
            formatDate(week.week_start, 'medium'),
            formatDate(week.week_end, 'medium'),
          )}
        </h2>
        <dl class="facts">
          <div>
            <dt>{t.attest.time.reported}</dt>
            <dd class="week-reported">
              <strong>{hours(week.total_hours)}</strong>
            </dd>
          </div>
          <div>
            <dt>{t.attest.time.expected}</dt>
            <dd class="week-expected">{hours(week.expected_hours)}</dd>
          </div>
          <div>
            <dt>{t.attest.time.difference}</dt>
            <dd>
              {difference === 0
                ? t.attest.time.onTarget
                : difference > 0
                  ? t.attest.time.over(formatHours(difference))
                  : t.attest.time.under(formatHours(-difference))}
            </dd>
          </div>
          {week.by_code.length > 0 && (
            <div>
              <dt>{t.attest.time.byCode}</dt>
              <dd>{week.by_code.map((code) => `${code.name} ${hours(code.hours)}`).join(', ')}</dd>
            </div>
          )}
          {extra > 0 && (
            <div>
              <dt>{t.attest.time.extra}</dt>
              <dd>{hours(extra)}</dd>
            </div>
          )}
          {absence > 0 && (
            <div>
              <dt>{t.attest.time.absence}</dt>
              <dd>
                {hours(absence)}
                {absenceCodes.length > 0 && ` (${absenceCodes.join(', ')})`}
              </dd>
            </div>
          )}
          {week.ob.length > 0 && (
            <div>
              <dt>{t.attest.time.ob}</dt>
              <dd>{week.ob.map((ob) => `${ob.name} ${hours(ob.hours)}`).join(', ')}</dd>
            </div>
          )}
          {week.comment && (
            <div>
              <dt>{t.attest.time.comment}</dt>
              <dd>{week.comment}</dd>
            </div>
          )}
        </dl>
      </section>

      <section class="card stack" aria-labelledby="attest-week-rows">
        <h2 id="attest-week-rows">{t.time.rows}</h2>
        {week.rows.length === 0 ? (
          <p class="muted">{t.time.noRows}</p>
        ) : (
          <WeekTable week={week} />
        )}
        {notes.length > 0 && (
          <section aria-labelledby="attest-week-notes">
            <h3 id="attest-week-notes">{t.attest.time.notes}</h3>
            <ul class="plain-list week-notes">
              {notes.map(([date, note], index) => (
                <li key={index}>
                  <strong>{formatWeekday(date, 'long')}:</strong> {note}
                </li>
              ))}
            </ul>
          </section>
        )}
      </section>
    </>
  );
}

/** Rows down, Monday to Sunday across, with each row's total and each day's total. */
function WeekTable({ week }: { week: WeekView }) {
  const t = useT();
  return (
    <>
      <p class="table-note" id="attest-week-caption">
        {t.attest.time.rowsCaption}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="attest-week-caption" tabIndex={0}>
        <table class="table week-rows" aria-labelledby="attest-week-caption">
          <thead>
            <tr>
              <th scope="col">{t.attest.time.row}</th>
              {week.days.map((day) => (
                <th key={day.date} scope="col" class="num">
                  <span aria-hidden="true">{formatWeekday(day.date, 'short')}</span>
                  <span class="visually-hidden">{formatWeekday(day.date, 'long')}</span>
                </th>
              ))}
              <th scope="col" class="num">
                {t.attest.time.total}
              </th>
            </tr>
          </thead>
          <tbody>
            {week.rows.map((row) => (
              <WeekRow key={row.id} row={row} days={week.days} />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.attest.time.dayTotals}</th>
              {week.days.map((day) => (
                <td key={day.date} class="num">
                  {Number(day.total_hours) ? formatHours(day.total_hours) : ''}
                </td>
              ))}
              <td class="num week-rows__total">
                <strong>{formatHours(week.total_hours)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}

function WeekRow({ row, days }: { row: RowView; days: DayView[] }) {
  const t = useT();
  const clock = row.clock
    .map((span, d) => (span && days[d] ? `${formatWeekday(days[d].date, 'short')} ${span.start}–${span.end}` : null))
    .filter(Boolean)
    .join(', ');
  return (
    <tr>
      <th scope="row">
        {row.project ? row.project.name : row.code_name}
        {row.project && <span class="table__sub">{row.project.path}</span>}
        <span class="table__sub">{t.attest.time.code(row.code_name)}</span>
        {clock && <span class="table__sub">{t.attest.time.clock(clock)}</span>}
        {(['comment', 'support_code', 'invoice_text'] as const).map((key) =>
          row[key] ? (
            <span key={key} class="table__sub">
              {t.time.fields[key]}: {row[key]}
            </span>
          ) : null,
        )}
      </th>
      {days.map((day, d) => {
        const value = row.hours[d];
        return (
          <td key={day.date} class="num">
            {value && Number(value) ? formatHours(value) : ''}
          </td>
        );
      })}
      <td class="num">{formatHours(row.total)}</td>
    </tr>
  );
}
