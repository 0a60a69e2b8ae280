import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, ApiError, newId } from '../../api';
import { locale, useT } from '../../i18n';
import { sendOrQueue } from '../../offline/outbox';
import { useSubmission } from '../../submission';
import { flash, isReading, submitProblems, type ClaimView, type ExpenseView } from './model';
import { merge, toBody, toForm } from './form';
import type { ExpenseForm } from './useExpenseForm';
import { uploads } from './uploads';

function focusFirstProblem(): void {
  requestAnimationFrame(() => {
    const target =
      document.querySelector<HTMLElement>('.expense-form [aria-invalid="true"]') ??
      document.querySelector<HTMLElement>('#expense-save-problems') ??
      document.querySelector<HTMLElement>('#expense-problems');
    target?.focus();
  });
}

/**
 * "Spara", "Skicka för attest" and "Ta bort" for one expense: one at a time (`saving` says which),
 * a save kept on the phone without a connection, what the server refused (`saveError`) and what
 * the saved expense still lacks before it can be submitted (`notice`).
 */
export function useExpenseSave({ id, isNew, editor, backHref }: { id: string; isNew: boolean; editor: ExpenseForm; backHref: string }) {
  const t = useT();
  const lang = locale.value;
  const { route } = useLocation();
  const [saving, setSaving] = useState<false | 'save' | 'submit'>(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const submission = useSubmission();
  const { touched } = editor;

  /** The form sent as a PUT (or kept on the phone without a connection); null when it did not get through. */
  const store = async (): Promise<{ queued: boolean; data: ExpenseView | null } | null> => {
    setSaveError(null);
    setNotice(null);
    let current = editor.form;
    let base = editor.expense;
    if (!current || !base) return null;
    const waitingPhoto = uploads.peek()[id];
    try {
      if (!waitingPhoto && navigator.onLine && !isNew && (isReading(base.receipt) || !base.receipt)) {
        // Interpretation may have filled the draft since the last look: take that first,
        // or this save would send those fields back empty.
        // (Also when the photo has only just reached the server: its receipt id goes with the save.)
        const fresh = await api.get<ExpenseView>(`/api/expenses/${id}`).catch((caught: unknown) => {
          if (caught instanceof ApiError && (caught.status === 0 || caught.status === 404)) return null;
          throw caught;
        });
        if (fresh) {
          current = merge(current, touched.current, toForm(fresh, lang));
          base = fresh;
          editor.setExpense(fresh);
          editor.setForm(current);
        }
      }
      const { body, errors } = toBody(current, base, t);
      if (Object.keys(errors).length) {
        editor.setLocalErrors(errors);
        focusFirstProblem();
        return null;
      }
      // Without a connection (or while its photo waits) the save waits on the phone, after the photo.
      const sent = await sendOrQueue<ExpenseView>({
        id: newId(),
        kind: 'expense',
        method: 'PUT',
        path: `/api/expenses/${id}`,
        body,
        ...(waitingPhoto ? { after: id, fill: 'receipt_id' } : {}),
        summary: { title: body.merchant ?? '', ...(body.amount ? { amount: body.amount } : {}), href: `/expenses/${id}` },
      });
      const { [id]: _done, ...others } = submitProblems.value;
      submitProblems.value = others;
      return sent.queued ? { queued: true, data: null } : { queued: false, data: sent.data };
    } catch (caught) {
      setSaveError(
        caught instanceof ApiError
          ? caught
          : new ApiError({ title: t.errors.unexpected, detail: t.errors.unexpectedDetail, status: 0, code: 'client_error' }),
      );
      focusFirstProblem();
      return null;
    }
  };

  /** Saved, but submitting would refuse something: stay, and show each problem beside its field. */
  const showToFix = (saved: ExpenseView, message: string | null) => {
    editor.restart(saved);
    setNotice(message);
    focusFirstProblem();
  };

  const save = async (event: Event) => {
    event.preventDefault();
    if (saving) return;
    setSaving('save');
    const sent = await store();
    setSaving(false);
    if (!sent) return;
    if (sent.data?.to_fix?.length) {
      showToFix(sent.data, t.expenses.form.savedToFix);
      return;
    }
    flash.value = sent.queued ? t.offline.savedOnPhone : t.expenses.form.saved;
    route(sent.data?.claim_id ? `/expenses/claims/${sent.data.claim_id}` : backHref);
  };

  /** "Skicka för attest": save, then a claim of one is made and submitted by the server in one step. */
  const submitForAttest = async () => {
    if (saving) return;
    setSaving('submit');
    const sent = await store();
    if (!sent) {
      setSaving(false);
      return;
    }
    if (sent.queued || !sent.data) {
      setSaving(false);
      flash.value = t.expenses.form.submitOffline;
      route(backHref);
      return;
    }
    if (sent.data.to_fix?.length) {
      setSaving(false);
      showToFix(sent.data, null);
      return;
    }
    try {
      const claim = await submission.post<ClaimView>(`/api/expenses/${id}/submit`);
      flash.value = t.expenses.form.submitted;
      route(`/expenses/claims/${claim.id}`);
    } catch (caught) {
      setSaving(false);
      if (!(caught instanceof ApiError)) return;
      if (caught.status === 422 && caught.problem.errors?.length) {
        // The claim of one names this expense "expenses.0": show each problem beside its own field.
        submitProblems.value = {
          ...submitProblems.value,
          [id]: caught.problem.errors.map((error) => ({ ...error, field: error.field.replace(/^expenses\.\d+\./, '') })),
        };
        focusFirstProblem();
      } else {
        setSaveError(caught);
        focusFirstProblem();
      }
    }
  };

  const remove = async () => {
    if (!window.confirm(t.expenses.form.confirmDelete)) return;
    try {
      await api.delete(`/api/expenses/${id}`);
      flash.value = t.expenses.form.deleted;
      route(backHref);
    } catch (caught) {
      if (caught instanceof ApiError) setSaveError(caught);
    }
  };

  return { saving, notice, saveError, save, submitForAttest, remove };
}
