import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { useLoad } from '../../useLoad';
import type { CaseList } from './model';
import { CaseRow } from './parts';

/** "Mina ärenden": the error reports I made, latest activity first. */
export function MyCasesPage() {
  const t = useT();
  const { data: list, error } = useLoad(
    (signal) => api.get<CaseList>('/api/cases?view=mine&limit=100', { signal }),
    [],
  );

  return (
    <div class="stack">
      <PageHeading title={t.cases.mineTitle} />
      {error && <ProblemAlert error={error} />}
      <section class="card" aria-labelledby="my-cases" aria-busy={list === null && !error}>
        <h2 id="my-cases" class="visually-hidden">
          {t.cases.mineTitle}
        </h2>
        {list === null && !error && <p class="muted">{t.app.loading}</p>}
        {list?.items.length === 0 && <p class="muted">{t.cases.mineEmpty}</p>}
        {list && list.items.length > 0 && (
          <ul class="item-list">
            {list.items.map((summary) => (
              <CaseRow key={summary.id} summary={summary} showReporter={false} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
