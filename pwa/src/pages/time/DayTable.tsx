import type { ApiError } from '../../api';
import { Icon } from '../../components/Icon';
import { useT } from '../../i18n';
import { formatHours, formatWeekday } from '../../i18n/format';
import { fieldMessage } from './common';
import type { DayView } from './model';

/** The week's days: schedule, reported hours, holidays and eves, locked days, leave. */
export function DayTable({ days, totals, error }: { days: DayView[]; totals: number[]; error: ApiError | null }) {
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
