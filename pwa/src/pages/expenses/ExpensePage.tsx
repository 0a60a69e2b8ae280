import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';

import { api, ApiError, newId } from '../../api';
import { BackLink } from '../../components/BackLink';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { ProblemAlert } from '../../components/ProblemAlert';
import { StateBadge } from '../../components/StateBadge';
import { locale, useT } from '../../i18n';
import { formatMoney, todayInSweden } from '../../i18n/format';
import {
  CATEGORIES,
  clearSubmitProblem,
  compareDecimal,
  CURRENCIES,
  flash,
  isReading,
  multiplyToOre,
  nothingRead,
  parseDecimal,
  READ_AS,
  showDecimal,
  submitProblems,
  UNCERTAIN_BELOW,
  type ClaimView,
  type ExpenseView,
} from './model';
import { Field, ParticipantList, VatList } from './fields';
import { blank, merge, SHOWN_FIELD, toBody, toForm, type FieldName, type FormState } from './form';
import { useCostCentres, useExchangeRate, useReceiptReading, useWellness } from './hooks';
import { UploadProgress } from './PendingUploads';
import { ProjectPicker } from './ProjectPicker';
import { ReceiptViewer, type Highlight } from './ReceiptViewer';
import { onArrived, resumeUploads, uploads } from './uploads';
import { pendingPut, sendOrQueue } from '../../offline/outbox';
import { useSubmission } from '../../submission';
import { Icon } from '../../components/Icon';

/** An expense as this phone has it before the server does: what was saved here, or empty. */
function offlineDraft(id: string): ExpenseView {
  const saved = pendingPut(`/api/expenses/${id}`)?.body as Partial<ExpenseView> | undefined;
  return { ...blank(id), ...(saved ?? {}) };
}

function focusFirstProblem(): void {
  requestAnimationFrame(() => {
    const target =
      document.querySelector<HTMLElement>('.expense-form [aria-invalid="true"]') ??
      document.querySelector<HTMLElement>('#expense-save-problems') ??
      document.querySelector<HTMLElement>('#expense-problems');
    target?.focus();
  });
}

export function ExpensePage() {
  const { params, query } = useRoute();
  const id = params.id ?? '';
  return <ExpenseEditor key={id} id={id} isNew={query.new === '1'} />;
}


/** One expense: pre-filled from its receipt, checked by the employee, saved. */
function ExpenseEditor({ id, isNew }: { id: string; isNew: boolean }) {
  const t = useT();
  const lang = locale.value;
  const { route } = useLocation();
  const pending = uploads.value[id];
  const [expense, setExpense] = useState<ExpenseView | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState<false | 'save' | 'submit'>(false);
  const [notice, setNotice] = useState<string | null>(null);
  const submission = useSubmission();
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [active, setActive] = useState<string | null>(null);
  const [reveal, setReveal] = useState(0);
  const touched = useRef(new Set<string>());
  const rateFromProvider = useRef(false);

  const adopt = (fresh: ExpenseView) => {
    setExpense(fresh);
    setLoadError(null);
    setForm((current) => (current ? merge(current, touched.current, toForm(fresh, lang)) : toForm(fresh, lang)));
  };

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
  const photoWaiting = pending !== undefined && pending.status !== 'uploading';
  useEffect(() => {
    if (photoWaiting && !expense) adopt(offlineDraft(id));
  }, [photoWaiting]);

  const readStatus = useReceiptReading(expense?.receipt, fetchExpense);

  // Foreign currency: the rate from the provider when there is one, else the employee enters it.
  const editable = expense?.editable ?? false;
  const expenseDate = form?.expense_date ?? '';
  const rateInfo = useExchangeRate(editable, form?.currency ?? 'SEK', expenseDate);
  useEffect(() => {
    if (rateInfo?.kind !== 'fetched') return;
    setForm((current) => {
      if (!current || touched.current.has('exchange_rate')) return current;
      if (current.exchange_rate && !rateFromProvider.current) return current;
      rateFromProvider.current = true;
      return { ...current, exchange_rate: showDecimal(rateInfo.rate, lang) };
    });
  }, [rateInfo]);

  // Wellness allowance: what is left of the year's tax-free amount.
  const wellnessYear = /^\d{4}/.test(expenseDate) ? expenseDate.slice(0, 4) : todayInSweden().slice(0, 4);
  const wellness = useWellness(form?.category?.startsWith('wellness') === true, wellnessYear);
  const costCentres = useCostCentres();

  // --- what is shown ---------------------------------------------------------------------------

  if (!expense || !form) {
    if (pending) {
      return (
        <div class="stack">
          <BackLink href="/expenses" text={t.expenses.back} />
          <PageHeading title={t.expenses.form.newTitle} />
          <section class="card" aria-label={t.expenses.form.receipt}>
            <UploadProgress upload={pending} />
          </section>
        </div>
      );
    }
    return (
      <PageLoad
        error={loadError}
        lead={<BackLink href="/expenses" text={t.expenses.back} />}
        notFound={
          <>
            <PageHeading title={t.expenses.form.notFound} />
            <p>{t.expenses.form.notFoundBody}</p>
          </>
        }
      />
    );
  }

  const problems = (submitProblems.value[id] ?? []).filter((p) => p.field !== 'expense_ids');
  const reading = readStatus === 'reading' || readStatus === 'slow' || isReading(expense.receipt);
  /** What submitting would refuse (sent with every save and read), until the employee changes that field. */
  const toFix = (name: string): string | undefined => {
    if (reading || !editable) return undefined;
    const root = name === 'receipt' ? 'comment' : (name.split('.')[0] ?? name);
    if (touched.current.has(root)) return undefined;
    return expense.to_fix?.find((note) => note.field === name)?.message;
  };
  const errorFor = (name: string): string | undefined =>
    localErrors[name] ??
    saveError?.fieldError(name) ??
    problems.find((problem) => problem.field === name)?.message ??
    toFix(name);
  const boxesFor = (name: string) => {
    const read = READ_AS[name];
    return (read && expense.receipt?.interpretation?.boxes?.[read]) || [];
  };
  // Filled from the organisation's earlier correction of this seller: said so until changed or saved.
  const remembered = (name: FieldName): boolean =>
    editable && (expense.remembered ?? []).includes(name) && !touched.current.has(name);
  const rememberedHint = (name: FieldName) => (remembered(name) ? t.expenses.form.remembered : undefined);
  // Until the employee saves, what was read is marked where the reader was unsure (or found nothing).
  const interpretation = expense.receipt?.interpretation;
  const unconfirmed = expense.filled_from_receipt && editable && Object.keys(expense.confidence).length > 0;
  const unread = unconfirmed && nothingRead(interpretation);
  const toCheck = new Set(interpretation?.to_check ?? []);
  const filled = (name: FieldName): boolean => {
    const value = form[name];
    return Array.isArray(value) ? value.length > 0 : Boolean(value);
  };
  const uncertain = (name: FieldName): boolean => {
    const read = READ_AS[name];
    if (!unconfirmed || read === undefined || touched.current.has(name) || remembered(name)) return false;
    // `to_check` may name the reader's field (`total`) or the form's (`amount`): either counts.
    const check = toCheck.has(read) || toCheck.has(name);
    if (!filled(name)) return unread || check;
    return (expense.confidence[read] ?? 1) < UNCERTAIN_BELOW || check;
  };
  const notReadText = (name: FieldName): string | undefined => (filled(name) ? undefined : t.expenses.notRead);
  // An inferred currency is a guess even when it is kronor: 31,44 € must not be paid as 31,44 kr.
  const currencyUncertain =
    uncertain('currency') ||
    (unconfirmed &&
      !remembered('currency') &&
      !touched.current.has('currency') &&
      (interpretation?.currency_source === 'inferred' ||
        !interpretation?.currency ||
        (interpretation.confidence[READ_AS.currency ?? 'currency'] ?? 0) < UNCERTAIN_BELOW));
  const showOn = (name: string) =>
    boxesFor(name).length && expense.receipt
      ? () => {
          setActive(name);
          setReveal((n) => n + 1);
        }
      : undefined;
  const highlight: Highlight | null =
    active && boxesFor(active).length
      ? { label: t.expenses.fields[active] ?? active, boxes: boxesFor(active) }
      : null;

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
  const focusProps = (name: string) => ({ onFocus: () => setActive(name) });

  const foreign = form.currency !== 'SEK';
  const amount = parseDecimal(form.amount);
  const rate = parseDecimal(form.exchange_rate);
  const amountSek = !foreign ? amount : amount && rate ? multiplyToOre(amount, rate) : null;
  const overWellness =
    form.category?.startsWith('wellness') && wellness && amountSek && compareDecimal(amountSek, wellness.remaining) > 0;
  const unmatched = (saveError?.problem.errors ?? []).filter((error) => !SHOWN_FIELD.test(error.field));
  const backHref = expense.claim_id ? `/expenses/claims/${expense.claim_id}` : '/expenses';
  const currencies: string[] = CURRENCIES.includes(form.currency as (typeof CURRENCIES)[number])
    ? [...CURRENCIES]
    : [form.currency, ...CURRENCIES];
  const today = todayInSweden();

  /** The form sent as a PUT (or kept on the phone without a connection); null when it did not get through. */
  const store = async (): Promise<{ queued: boolean; data: ExpenseView | null } | null> => {
    setSaveError(null);
    setNotice(null);
    let current = form;
    let base = expense;
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
          setExpense(fresh);
          setForm(current);
        }
      }
      const { body, errors } = toBody(current, base, t);
      if (Object.keys(errors).length) {
        setLocalErrors(errors);
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
    touched.current = new Set();
    setExpense(saved);
    setForm(toForm(saved, lang));
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

  const readMessage =
    readStatus === 'reading'
      ? t.expenses.reading
      : readStatus === 'slow'
        ? t.expenses.readSlow
        : readStatus === 'failed'
          ? t.expenses.readFailed
          : (readStatus === 'done' || readStatus === null) && unread
            ? t.expenses.readNothing
            : readStatus === 'done'
              ? t.expenses.readDone
              : '';
  const readClass = unread && readStatus !== 'reading' && readStatus !== 'slow' ? 'failed' : (readStatus ?? 'none');
  const oneTap = editable && !expense.claim_id && !expense.travel_claim_id;

  return (
    <div class="stack">
      <BackLink href={backHref} text={expense.claim_id ? t.expenses.form.openClaim : t.expenses.back} />
      <div class="page-title">
        <PageHeading title={expense.merchant || t.expenses.form.newTitle} />
        {expense.state !== 'draft' && <StateBadge state={expense.state} />}
      </div>

      <p
        class={readMessage ? `read-status read-status--${readClass}` : 'read-status'}
        role="status"
      >
        {(readStatus === 'reading' || readStatus === 'slow') && <span class="spinner" aria-hidden="true" />}
        {readMessage}
      </p>

      {pending && (
        <section class="card" aria-label={t.expenses.form.receipt}>
          <UploadProgress upload={pending} />
        </section>
      )}
      {pendingPut(`/api/expenses/${id}`) && <p class="alert alert--info">{t.offline.expenseWaiting}</p>}

      {!editable && (
        <p class="alert alert--info">{t.expenses.form.readOnly(t.expenses.states[expense.state])}</p>
      )}
      {notice && (
        <p class="alert alert--warning" role="status">
          {notice}
        </p>
      )}
      {problems.length > 0 && (
        <p class="alert alert--error" id="expense-problems" tabIndex={-1}>
          {t.expenses.form.claimProblems}
        </p>
      )}
      {expense.warnings.length > 0 && (
        <section class="alert alert--warning" aria-labelledby="expense-warnings">
          <h2 id="expense-warnings" class="alert__title">
            <Icon name="warning" />{' '}
            {t.expenses.form.warnings}
          </h2>
          <ul>
            {expense.warnings.map((warning, index) => (
              <li key={index}>
                {warning.message}
                {warning.related_expense_id && (
                  <>
                    {' '}
                    <a href={`/expenses/${warning.related_expense_id}`}>{t.expenses.form.relatedExpense}</a>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {saveError && (
        <div id="expense-save-problems" tabIndex={-1}>
          <ProblemAlert error={saveError} />
          {unmatched.length > 0 && (
            <ul class="field__error">
              {unmatched.map((error) => (
                <li key={error.field}>
                  {t.expenses.fields[error.field] ?? error.field}: {error.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      <div class={expense.receipt ? 'expense-layout expense-layout--with-receipt' : 'expense-layout'}>
        <form class="form expense-form card" onSubmit={(event) => void save(event)} noValidate>
          <h2 class="visually-hidden">{t.expenses.form.details}</h2>
          <fieldset class="fieldset-plain form" disabled={!editable}>
            <div class="field-row">
              <Field
                id="expense-amount"
                label={t.expenses.fields.amount ?? ''}
                uncertain={uncertain('amount')}
                uncertainText={notReadText('amount')}
                error={errorFor('amount')}
                onShow={showOn('amount')}
              >
                {(describedBy) => (
                  <input
                    id="expense-amount"
                    name="amount"
                    inputMode="decimal"
                    autocomplete="off"
                    value={form.amount}
                    onInput={(e) => set('amount', e.currentTarget.value)}
                    aria-invalid={errorFor('amount') ? true : undefined}
                    aria-describedby={describedBy}
                    {...focusProps('amount')}
                  />
                )}
              </Field>
              <Field
                id="expense-currency"
                label={t.expenses.fields.currency ?? ''}
                uncertain={currencyUncertain}
                hint={rememberedHint('currency')}
                error={errorFor('currency')}
              >
                {(describedBy) => (
                  <select
                    id="expense-currency"
                    name="currency"
                    value={form.currency}
                    onChange={(e) => set('currency', e.currentTarget.value)}
                    aria-invalid={errorFor('currency') ? true : undefined}
                    aria-describedby={describedBy}
                    {...focusProps('currency')}
                  >
                    {currencies.map((code) => (
                      <option key={code} value={code}>
                        {code}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>

            {foreign && (
              <Field
                id="expense-exchange_rate"
                label={t.expenses.form.exchangeRate(form.currency)}
                error={errorFor('exchange_rate')}
                hint={
                  <>
                    {rateInfo?.kind === 'fetched' && rateFromProvider.current
                      ? t.expenses.form.rateFetched(showDecimal(rateInfo.rate, lang), rateInfo.date, rateInfo.source)
                      : rateInfo?.kind === 'manual'
                        ? t.expenses.form.rateManual
                        : null}
                    {amountSek && (
                      <>
                        {' '}
                        <strong>{t.expenses.form.amountSek(formatMoney(amountSek))}</strong>
                      </>
                    )}
                  </>
                }
              >
                {(describedBy) => (
                  <input
                    id="expense-exchange_rate"
                    name="exchange_rate"
                    inputMode="decimal"
                    autocomplete="off"
                    value={form.exchange_rate}
                    onInput={(e) => set('exchange_rate', e.currentTarget.value)}
                    aria-invalid={errorFor('exchange_rate') ? true : undefined}
                    aria-describedby={describedBy}
                  />
                )}
              </Field>
            )}

            <Field
              id="expense-expense_date"
              label={t.expenses.fields.expense_date ?? ''}
              uncertain={uncertain('expense_date')}
              uncertainText={notReadText('expense_date')}
              error={errorFor('expense_date')}
              onShow={showOn('expense_date')}
            >
              {(describedBy) => (
                <input
                  id="expense-expense_date"
                  name="expense_date"
                  type="date"
                  max={today}
                  value={form.expense_date}
                  onInput={(e) => set('expense_date', e.currentTarget.value)}
                  aria-invalid={errorFor('expense_date') ? true : undefined}
                  aria-describedby={describedBy}
                  {...focusProps('expense_date')}
                />
              )}
            </Field>

            <Field
              id="expense-merchant"
              label={t.expenses.fields.merchant ?? ''}
              uncertain={uncertain('merchant')}
              hint={rememberedHint('merchant')}
              uncertainText={notReadText('merchant')}
              error={errorFor('merchant')}
              onShow={showOn('merchant')}
            >
              {(describedBy) => (
                <input
                  id="expense-merchant"
                  name="merchant"
                  autocomplete="off"
                  maxLength={200}
                  value={form.merchant}
                  onInput={(e) => set('merchant', e.currentTarget.value)}
                  aria-invalid={errorFor('merchant') ? true : undefined}
                  aria-describedby={describedBy}
                  {...focusProps('merchant')}
                />
              )}
            </Field>

            <Field
              id="expense-category"
              label={t.expenses.fields.category ?? ''}
              uncertain={uncertain('category')}
              error={errorFor('category')}
              hint={
                form.category === 'representation' ? t.expenses.form.representationHint : rememberedHint('category')
              }
            >
              {(describedBy) => (
                <select
                  id="expense-category"
                  name="category"
                  value={form.category}
                  onChange={(e) => {
                    const next = e.currentTarget.value;
                    set('category', next);
                    if (next === 'representation' && form.participants.length === 0) {
                      set('participants', [{ name: '', company: '' }]);
                    }
                  }}
                  aria-invalid={errorFor('category') ? true : undefined}
                  aria-describedby={describedBy}
                  {...focusProps('category')}
                >
                  <option value="">{t.expenses.form.chooseCategory}</option>
                  {CATEGORIES.map((code) => (
                    <option key={code} value={code}>
                      {t.expenses.categories[code]}
                    </option>
                  ))}
                </select>
              )}
            </Field>

            {form.category?.startsWith('wellness') && wellness && (
              <div class={overWellness ? 'alert alert--warning' : 'alert alert--info'} role="status">
                <p>
                  <strong>{t.expenses.form.wellness(formatMoney(wellness.remaining), wellness.year)}</strong>
                </p>
                <p>{t.expenses.form.wellnessUsed(formatMoney(wellness.used), formatMoney(wellness.cap))}</p>
                {wellness.employer_allowance && (
                  <p>{t.expenses.form.wellnessEmployer(formatMoney(wellness.employer_allowance))}</p>
                )}
                {overWellness && (
                  <p>
                    <Icon name="warning" />{' '}
                    {t.expenses.form.wellnessOver}
                  </p>
                )}
              </div>
            )}

            {form.category === 'representation' && (
              <>
                <ParticipantList
                  rows={form.participants}
                  onChange={(rows) => set('participants', rows)}
                  errorFor={errorFor}
                />
                <Field id="expense-purpose" label={t.expenses.fields.purpose ?? ''} error={errorFor('purpose')}>
                  {(describedBy) => (
                    <textarea
                      id="expense-purpose"
                      name="purpose"
                      rows={2}
                      maxLength={500}
                      value={form.purpose}
                      onInput={(e) => set('purpose', e.currentTarget.value)}
                      aria-invalid={errorFor('purpose') ? true : undefined}
                      aria-describedby={describedBy}
                    />
                  )}
                </Field>
              </>
            )}

            <fieldset class="fieldset" aria-describedby={errorFor('payment') ? 'expense-payment-error' : undefined}>
              <legend>{t.expenses.fields.payment}</legend>
              <div class="choices">
                {(['private', 'company_card'] as const).map((value) => (
                  <label key={value} class="choice">
                    <input
                      type="radio"
                      name="payment"
                      value={value}
                      checked={form.payment === value}
                      onChange={() => set('payment', value)}
                    />
                    {value === 'private' ? t.expenses.form.paymentPrivate : t.expenses.form.paymentCompanyCard}
                  </label>
                ))}
              </div>
              {errorFor('payment') && (
                <p id="expense-payment-error" class="field__error">
                  {errorFor('payment')}
                </p>
              )}
            </fieldset>

            <VatList
              rows={form.vat}
              onChange={(rows) => set('vat', rows)}
              errorFor={errorFor}
              uncertain={uncertain('vat')}
              onShow={showOn('vat')}
              onFocus={() => setActive('vat')}
            />

            <Field
              id="expense-org_number"
              label={t.expenses.fields.org_number ?? ''}
              optional
              uncertain={uncertain('org_number')}
              uncertainText={notReadText('org_number')}
              error={errorFor('org_number')}
              onShow={showOn('org_number')}
            >
              {(describedBy) => (
                <input
                  id="expense-org_number"
                  name="org_number"
                  autocomplete="off"
                  maxLength={20}
                  value={form.org_number}
                  onInput={(e) => set('org_number', e.currentTarget.value)}
                  aria-invalid={errorFor('org_number') ? true : undefined}
                  aria-describedby={describedBy}
                  {...focusProps('org_number')}
                />
              )}
            </Field>

            <ProjectPicker
              value={form.project_id}
              disabled={!editable}
              error={errorFor('project_id')}
              onChange={(project) => {
                set('project_id', project?.id ?? '');
                if (project?.cost_centre_id && !touched.current.has('cost_centre_id')) {
                  setForm((current) => (current ? { ...current, cost_centre_id: project.cost_centre_id ?? '' } : current));
                }
              }}
            />

            <Field
              id="expense-cost_centre_id"
              label={t.expenses.fields.cost_centre_id ?? ''}
              optional
              error={errorFor('cost_centre_id')}
            >
              {(describedBy) => (
                <select
                  id="expense-cost_centre_id"
                  name="cost_centre_id"
                  value={form.cost_centre_id}
                  onChange={(e) => set('cost_centre_id', e.currentTarget.value)}
                  aria-invalid={errorFor('cost_centre_id') ? true : undefined}
                  aria-describedby={describedBy}
                >
                  <option value="">{t.expenses.form.noCostCentre}</option>
                  {costCentres.map((centre) => (
                    <option key={centre.id} value={centre.id}>
                      {centre.code} {centre.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>

            <Field
              id="expense-comment"
              label={t.expenses.fields.comment ?? ''}
              optional={Boolean(expense.receipt)}
              error={errorFor('comment') ?? errorFor('receipt')}
            >
              {(describedBy) => (
                <textarea
                  id="expense-comment"
                  name="comment"
                  rows={3}
                  maxLength={1000}
                  value={form.comment}
                  onInput={(e) => set('comment', e.currentTarget.value)}
                  aria-invalid={errorFor('comment') ?? errorFor('receipt') ? true : undefined}
                  aria-describedby={describedBy}
                />
              )}
            </Field>
          </fieldset>

          {editable && (
            <div class="action-bar">
              {oneTap && (
                <button
                  type="button"
                  class="button button--primary button--block"
                  aria-disabled={Boolean(saving)}
                  onClick={() => void submitForAttest()}
                >
                  {saving === 'submit' ? t.expenses.form.submitting : t.expenses.form.submit}
                </button>
              )}
              <button
                type="submit"
                class={oneTap ? 'button button--secondary button--block' : 'button button--primary button--block'}
                aria-disabled={Boolean(saving)}
              >
                {saving === 'save' ? t.expenses.form.saving : t.expenses.form.save}
              </button>
            </div>
          )}
        </form>

        {expense.receipt && (
          <section class="expense-receipt card" aria-labelledby="expense-receipt-heading">
            <h2 id="expense-receipt-heading">{t.expenses.form.receipt}</h2>
            <ReceiptViewer receipt={expense.receipt} highlight={highlight} reveal={reveal} />
          </section>
        )}
      </div>

      {editable && (
        <p>
          <button type="button" class="button button--danger" onClick={() => void remove()}>
            {t.expenses.form.delete}
          </button>
        </p>
      )}
    </div>
  );
}
