import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatHours } from '../../i18n/format';
import { DayTable } from './DayTable';
import type { WeekView } from './model';

/** The week's hours against what was expected, day by day, and the OB the hours give. */
export function WeekSummary({
  view,
  liveTotal,
  dayTotals,
  error,
}: {
  view: WeekView;
  /** The hours reported, as typed so far. */
  liveTotal: number;
  dayTotals: number[];
  error: ApiError | null;
}) {
  const t = useT();
  const expected = Number(view.expected_hours);
  const difference = liveTotal - expected;
  return (
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
  );
}
