import { useRoute } from 'preact-iso';

import { api } from '../../api';
import { ItemHistory } from '../../components/ItemHistory';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { useProjectEntries } from '../../project-search';
import { useLoad } from '../../useLoad';
import { ReportError } from '../cases/ReportError';
import type { ProjectView } from '../expenses/model';
import { AttestStatus, FormProblems } from './common';
import { shiftWeek, sumHours, weekNumber, type CodesView } from './model';
import { placeOf } from './places';
import { useWeek } from './useWeek';
import { useWeekActions } from './useWeekActions';
import { WeekActions } from './WeekActions';
import { WeekRows } from './WeekRows';
import { WeekSummary } from './WeekSummary';

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

function WeekScreen({ target }: { target: string | null }) {
  const t = useT();
  const week = useWeek(target);
  const { busy, error, message, onSave, onSubmit } = useWeekActions(week);
  const { view, rows, dirty } = week;
  // The time codes and the projects for the rows' pickers (without them: the codes the rows have, no projects).
  const codes = useLoad((signal) => api.get<CodesView>('/api/time/codes', { signal }), []).data;
  const projectsLoad = useLoad((signal) => api.get<ProjectView[]>('/api/projects', { signal }), []);
  const projects = projectsLoad.error ? [] : projectsLoad.data;
  const entries = useProjectEntries(projects);

  if (!view) {
    return (
      <PageLoad
        error={week.loadError}
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
  const liveTotal = editable ? sumHours(rows.flatMap((row) => row.hours)) : Number(view.total_hours);
  const dayTotals = view.days.map((day, d) =>
    editable ? sumHours(rows.map((row) => row.hours[d] ?? '')) : Number(day.total_hours),
  );
  const leaveIfSaved = (event: Event) => {
    if (dirty && !window.confirm(t.time.unsaved)) event.preventDefault();
  };
  const number = weekNumber(view.week);

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

      <WeekSummary view={view} liveTotal={liveTotal} dayTotals={dayTotals} error={error} />
      <WeekRows view={view} week={week} codes={codes} entries={entries} projectsLoading={projects === null} error={error} />

      {editable && (
        <WeekActions
          view={view}
          busy={busy}
          dirty={dirty}
          onSave={() => void onSave(view)}
          onSubmit={() => void onSubmit(view)}
        />
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
