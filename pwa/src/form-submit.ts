import { useState } from 'preact/hooks';

import { ApiError } from './api';
import { useT } from './i18n';

/**
 * A form's submit: ignores a second tap while one is under way, clears the last problem, and keeps
 * what went wrong as an `ApiError` (anything else becomes "Något gick fel", so no failure is silent).
 * `action` throws to report a problem; the fields' messages come from `error.fieldError(name)`.
 */
export function useFormSubmit(action: () => Promise<void>) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught
          : new ApiError({ title: t.errors.unexpected, detail: t.errors.unexpectedDetail, status: 0, code: 'client_error' }),
      );
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, onSubmit };
}
