import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError } from '../../api';
import { useSubmission } from '../../submission';
import { focusSoon, notice } from './common';

export type Busy = 'save' | 'submit' | 'delete' | null;

/**
 * "Spara", "Skicka in" and "Ta bort" for an item a person drafts and sends for attest (a leave
 * request, a travel claim): one at a time, a refused one's problems shown at the top of the form
 * and focused, a confirmation in words, and after deleting back to the list with a notice.
 */
export function useDraftActions<V>({
  path,
  problemsId,
  listHref,
  texts,
  adopt,
}: {
  /** The item in the API: `/api/leave/requests/{id}`. */
  path: string;
  /** The element the problems are shown in (see FormProblems). */
  problemsId: string;
  listHref: string;
  texts: { saved: string; submitted: string; deleted: string; confirmDelete: string };
  adopt: (view: V) => void;
}) {
  const { route } = useLocation();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState<string | null>(() => notice.peek());
  const submission = useSubmission();

  /** What the server refused: shown at the top of the form, and focused. */
  const refused = (caught: unknown) => {
    if (caught instanceof ApiError) {
      setError(caught);
      focusSoon(problemsId);
    }
  };

  /** `save` stores the form; false when it did not (a missing field, a refusal). */
  const onSave = async (save: () => Promise<boolean>, afterSaved?: () => void) => {
    if (busy) return;
    setBusy('save');
    setError(null);
    setMessage(null);
    if (await save()) {
      setMessage(texts.saved);
      afterSaved?.();
    }
    setBusy(null);
  };

  /** Saves first when the form has changes (`unsaved`), then submits. */
  const onSubmit = async (save: () => Promise<boolean>, unsaved: boolean) => {
    if (busy) return;
    setBusy('submit');
    setError(null);
    setMessage(null);
    if (unsaved && !(await save())) {
      setBusy(null);
      return;
    }
    try {
      adopt(await submission.post<V>(`${path}/submit`));
      setMessage(texts.submitted);
    } catch (caught) {
      refused(caught);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    if (busy || !window.confirm(texts.confirmDelete)) return;
    setBusy('delete');
    try {
      await api.delete(path);
      notice.value = texts.deleted;
      route(listHref);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught);
      setBusy(null);
    }
  };

  return { busy, error, message, refused, onSave, onSubmit, remove };
}
