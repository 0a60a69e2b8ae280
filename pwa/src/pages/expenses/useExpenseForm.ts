import { useEffect, useRef, useState } from 'preact/hooks';

import { api, ApiError } from '../../api';
import { locale } from '../../i18n';
import { pendingPut } from '../../offline/outbox';
import { clearSubmitProblem, showDecimal, type ExpenseView } from './model';
import { blank, merge, toForm, type FieldName, type FormState } from './form';
import { useExchangeRate } from './hooks';
import { onArrived, resumeUploads, uploads } from './uploads';

/** An expense as this phone has it before the server does: what was saved here, or empty. */
function offlineDraft(id: string): ExpenseView {
  const saved = pendingPut(`/api/expenses/${id}`)?.body as Partial<ExpenseView> | undefined;
  return { ...blank(id), ...(saved ?? {}) };
}

/**
 * The expense as the server (or the phone) has it and the form as the employee types it: loaded,
 * loaded again when its photo arrives or its receipt has been read (fresh values fill only the
 * fields not yet touched), and the exchange rate filled in from the provider until typed over.
 *
 * Not through `useLoad`: the receipt reading (`useReceiptReading`) awaits `fetchExpense` and needs
 * the fresh expense adopted before its own effect is cleaned up; `useLoad`'s reload goes through a
 * render and an effect first, and the reading status then stays at "reading".
 */
export function useExpenseForm(id: string, isNew: boolean) {
  const lang = locale.value;
  const [expense, setExpense] = useState<ExpenseView | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const touched = useRef(new Set<string>());
  const rateFromProvider = useRef(false);

  const adopt = (fresh: ExpenseView) => {
    setExpense(fresh);
    setLoadError(null);
    setForm((current) => (current ? merge(current, touched.current, toForm(fresh, lang)) : toForm(fresh, lang)));
  };

  /** The expense from the server (fresh values into the untouched fields); null when it could not be had. */
  const fetchExpense = async (): Promise<ExpenseView | null> => {
    try {
      const fresh = await api.get<ExpenseView>(`/api/expenses/${id}`);
      adopt(fresh);
      return fresh;
    } catch (caught) {
      if (caught instanceof ApiError) {
        if (caught.status === 404 && isNew) adopt(blank(id));
        else if (caught.status === 0 && (isNew || pendingPut(`/api/expenses/${id}`))) adopt(offlineDraft(id));
        else if (!(caught.status === 404 && uploads.peek()[id])) setLoadError(caught);
      }
      return null;
    }
  };

  useEffect(() => {
    const stop = onArrived((receipt) => {
      if (receipt.expense_id === id) void fetchExpense();
    });
    if (!uploads.peek()[id]) void fetchExpense();
    void resumeUploads();
    return stop;
  }, []);

  // No connection: the expense is filled in on the phone while its photo waits to be sent.
  const pending = uploads.value[id];
  const photoWaiting = pending !== undefined && pending.status !== 'uploading';
  useEffect(() => {
    if (photoWaiting && !expense) adopt(offlineDraft(id));
  }, [photoWaiting]);

  // Foreign currency: the rate from the provider when there is one, else the employee enters it.
  const editable = expense?.editable ?? false;
  const rateInfo = useExchangeRate(editable, form?.currency ?? 'SEK', form?.expense_date ?? '');
  useEffect(() => {
    if (rateInfo?.kind !== 'fetched') return;
    setForm((current) => {
      if (!current || touched.current.has('exchange_rate')) return current;
      if (current.exchange_rate && !rateFromProvider.current) return current;
      rateFromProvider.current = true;
      return { ...current, exchange_rate: showDecimal(rateInfo.rate, lang) };
    });
  }, [rateInfo]);

  /** The employee changed a field: theirs from now on, and its problems are gone. */
  const set = <K extends FieldName>(name: K, value: FormState[K]) => {
    touched.current.add(name);
    if (name === 'exchange_rate') rateFromProvider.current = false;
    setForm((current) => (current ? { ...current, [name]: value } : current));
    setLocalErrors((errors) => {
      if (!Object.keys(errors).some((key) => key === name || key.startsWith(`${name}.`))) return errors;
      return Object.fromEntries(Object.entries(errors).filter(([key]) => key !== name && !key.startsWith(`${name}.`)));
    });
    clearSubmitProblem(id, name);
    if (name === 'comment') clearSubmitProblem(id, 'receipt');
  };

  /** A value the form suggests (a project's cost centre) for a field the employee has not chosen. */
  const suggest = <K extends FieldName>(name: K, value: FormState[K]) => {
    if (touched.current.has(name)) return;
    setForm((current) => (current ? { ...current, [name]: value } : current));
  };

  /** The expense as saved: the form starts again from it, nothing touched. */
  const restart = (saved: ExpenseView) => {
    touched.current = new Set();
    setExpense(saved);
    setForm(toForm(saved, lang));
  };

  return {
    expense,
    form,
    pending,
    loadError,
    fetchExpense,
    localErrors,
    setLocalErrors,
    touched,
    rateFromProvider,
    rateInfo,
    set,
    suggest,
    restart,
    setExpense,
    setForm,
  };
}

export type ExpenseForm = ReturnType<typeof useExpenseForm>;
