import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatHours, formatWeekday } from '../../i18n/format';
import type { ProjectEntry } from '../../project-search';
import type { CodesView, WeekView } from './model';
import { RowEditor } from './RowEditor';
import type { Week } from './useWeek';

/** The week's rows: edited one card each while the week is editable, else as facts; "add a row". */
export function WeekRows({
  view,
  week,
  codes,
  entries,
  projectsLoading,
  error,
}: {
  view: WeekView;
  week: Week;
  codes: CodesView | null;
  entries: ProjectEntry[];
  projectsLoading: boolean;
  error: ApiError | null;
}) {
  const t = useT();
  const { rows } = week;
  const editable = view.editable;
  const lockedDays = view.days.map((day) => day.locked);
  const defaultCode = codes?.codes.find((code) => code.kind === 'work')?.code ?? 'work';
  return (
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
              projectsLoading={projectsLoading}
              error={error}
              onChange={(next) => week.change(index, next)}
              onRemove={() => week.removeRow(index)}
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
          onClick={() => week.addRow(defaultCode)}
        >
          <span aria-hidden="true">+</span>
          {t.time.addRow}
        </button>
      )}
    </section>
  );
}
