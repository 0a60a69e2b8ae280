import type { ApiError } from '../api';
import { useT } from '../i18n';

/** An API problem as people read it: the title, what to do (detail), and a reference for support. */
export function ProblemAlert({ error }: { error: ApiError }) {
  const t = useT();
  const { title, detail, request_id: requestId, status } = error.problem;
  return (
    <div class="alert alert--error" role="alert">
      <p class="alert__title">{title}</p>
      {detail && <p>{detail}</p>}
      {requestId && status >= 500 && <p class="alert__reference">{t.errors.reference(requestId)}</p>}
    </div>
  );
}
