import type { ApiError } from '../api';
import { useT } from '../i18n';

/**
 * An API problem as people read it: the title, what to do (detail), and a reference for support.
 * `listErrors`: also each error the problem names (an export refused for several employees).
 */
export function ProblemAlert({ error, listErrors = false }: { error: ApiError; listErrors?: boolean }) {
  const t = useT();
  const { title, detail, request_id: requestId, status, errors } = error.problem;
  return (
    <div class="alert alert--error" role="alert">
      <p class="alert__title">{title}</p>
      {detail && <p>{detail}</p>}
      {listErrors && errors && errors.length > 0 && (
        <ul class="plain-list">
          {errors.map((problem, index) => (
            <li key={`${problem.field}-${index}`}>{problem.message}</li>
          ))}
        </ul>
      )}
      {requestId && status >= 500 && <p class="alert__reference">{t.errors.reference(requestId)}</p>}
    </div>
  );
}
