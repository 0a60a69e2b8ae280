import type { ComponentChildren } from 'preact';

import type { ApiError } from '../api';
import { useT } from '../i18n';
import { ProblemAlert } from './ProblemAlert';

/**
 * A page whose item is not there yet: "Laddar…" while it loads, and when it could not be read,
 * the page's top (`lead`, e.g. its back link) with either what "not found" says on this page
 * (a 404) or the server's problem.
 */
export function PageLoad({
  error,
  lead,
  notFound,
}: {
  error: ApiError | null;
  lead: ComponentChildren;
  notFound: ComponentChildren;
}) {
  const t = useT();
  if (!error) {
    return (
      <p class="loading" aria-busy="true">
        {t.app.loading}
      </p>
    );
  }
  return (
    <div class="stack">
      {lead}
      {error.status === 404 ? <section class="card">{notFound}</section> : <ProblemAlert error={error} />}
    </div>
  );
}
