import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';

import { api, ApiError, newId } from '../../api';
import { BackLink } from '../../components/BackLink';
import { ItemHistory } from '../../components/ItemHistory';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { formatDate, formatMoney, formatWeekday } from '../../i18n/format';
import { AttestStatus, fieldMessage, focusSoon, FormProblems, InlineError, notice } from '../time/common';
import { useDraftActions } from '../time/useDraftActions';
import { useLoad } from '../../useLoad';
import type { ExpenseView } from '../expenses/model';
import {
  blankForm,
  countryChoices,
  DOMESTIC,
  legKey,
  LONG_STAYS,
  MEALS,
  toBody,
  toForm,
  tripDays,
  type ClaimForm,
  type LegForm,
  type Normalbelopp,
  type TravelClaimView,
} from './model';
import { ClaimFacts, expenseName, TravelResult } from './parts';
import { LegEditor, SamePlaceSince } from './TripFields';
import { ReportError } from '../cases/ReportError';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An expense as the expenses list gives it: what is needed to offer it for a trip. */
type AvailableExpense = Pick<ExpenseView, 'id' | 'expense_date' | 'merchant' | 'category' | 'amount_sek' | 'travel_claim_id'>;

export function TravelClaimPage() {
  const { params } = useRoute();
  const id = params.id ?? 'new';
  return <ClaimEditor key={id} routeId={id} />;
}

const TRIP_FIELDS = [
  'purpose',
  'destination',
  'country_code',
  'departure_at',
  'return_at',
  'distance_from_home_km',
  'distance_from_workplace_km',
  'lodging_paid_by_employer',
  'long_stay',
  'same_place_since',
] as const;

/** Fields the form asks for itself before saving. */
const REQUIRED = ['departure_at', 'return_at', 'same_place_since'] as const;
type Required = (typeof REQUIRED)[number];

/** A travel claim: the trip, meals, mileage, expenses; per diem and mileage computed and explained; submission. */
function ClaimEditor({ routeId }: { routeId: string }) {
  const t = useT();
  const creating = routeId === 'new';
  const [id] = useState(() => (creating ? newId() : routeId));
  const [claim, setClaim] = useState<TravelClaimView | null>(null);
  const [form, setForm] = useState<ClaimForm>(blankForm);
  const [mealDays, setMealDays] = useState<string[]>([]);
  const [missing, setMissing] = useState<Partial<Record<Required, string | undefined>>>({});
  const [dirty, setDirty] = useState(creating);

  const adopt = (view: TravelClaimView) => {
    setClaim(view);
    setForm(toForm(view));
    setDirty(false);
  };
  const { busy, error, message, refused, onSave, onSubmit, remove } = useDraftActions({
    path: `/api/travel-claims/${id}`,
    problemsId: 'travel-problems',
    listHref: '/travel',
    texts: {
      saved: t.travel.saved,
      submitted: t.travel.submitted,
      deleted: t.travel.deleted,
      confirmDelete: t.travel.confirmDelete,
    },
    adopt,
  });

  useEffect(() => {
    notice.value = null;
  }, []);
  const { error: loadError } = useLoad(async (signal) => {
    if (creating) return null;
    if (!UUID.test(routeId)) throw new ApiError({ title: t.travel.notFound, status: 404, code: 'not_found' });
    const found = await api.get<TravelClaimView>(`/api/travel-claims/${routeId}`, { signal });
    if (!signal.aborted) adopt(found);
    return found;
  }, []);
  // The drafts that can go with the trip, and the countries with their normalbelopp: none offered without them.
  const unclaimed = useLoad((signal) => api.get<AvailableExpense[]>('/api/expenses?unclaimed=true', { signal }), []);
  const available = unclaimed.data ?? [];
  const year = /^\d{4}/.test(form.departure_at) ? form.departure_at.slice(0, 4) : '';
  const normalbelopp = useLoad(
    async (signal) => countryChoices(await api.get<Normalbelopp[]>(`/api/travel/normalbelopp${year ? `?year=${year}` : ''}`, { signal })),
    [year],
    { keep: true },
  );
  const countries = normalbelopp.error ? [] : (normalbelopp.data ?? []);

  if (!creating && !claim) {
    return (
      <PageLoad
        error={loadError}
        lead={<BackLink href="/travel" text={t.travel.back} />}
        notFound={<PageHeading title={t.travel.notFound} />}
      />
    );
  }

  const editable = claim ? claim.editable : true;
  const state = claim?.state ?? 'draft';
  const days = tripDays(form.departure_at, form.return_at);

  const update = (next: Partial<ClaimForm>) => {
    setForm((current) => ({ ...current, ...next }));
    setDirty(true);
  };
  const changeLeg = (index: number, next: Partial<LegForm>) =>
    update({ legs: form.legs.map((leg, i) => (i === index ? { ...leg, ...next } : leg)) });

  const save = async (): Promise<boolean> => {
    const needed: Partial<Record<Required, string>> = {};
    if (!form.departure_at) needed.departure_at = t.travel.required;
    if (!form.return_at) needed.return_at = t.travel.required;
    if (form.long_stay !== 'none' && !form.same_place_since) needed.same_place_since = t.travel.sinceRequired;
    setMissing(needed);
    const first = REQUIRED.find((field) => needed[field]);
    if (first) {
      requestAnimationFrame(() => document.getElementById(`travel-${first}`)?.focus());
      return false;
    }
    const { body, mealDays: sent } = toBody(form);
    setMealDays(sent);
    try {
      adopt(await api.put<TravelClaimView>(`/api/travel-claims/${id}`, body));
      if (creating) history.replaceState(history.state, '', `/travel/claims/${id}`);
      return true;
    } catch (caught) {
      refused(caught);
      return false;
    }
  };

  /** Where a problem belongs: its words and the element to jump to. */
  const placeOf = (field: string): { label: string; anchor: string | null } | null => {
    const parts = field.split('.');
    const head = parts[0] ?? '';
    if ((TRIP_FIELDS as readonly string[]).includes(head)) {
      return { label: t.travel.fields[head] ?? head, anchor: `travel-${head}` };
    }
    if (head === 'meals' && parts[1] !== undefined) {
      const day = mealDays[Number(parts[1])];
      return day ? { label: t.travel.mealsOn(formatWeekday(day, 'long')), anchor: `travel-meals-${day}` } : { label: t.travel.meals, anchor: null };
    }
    if (head === 'mileage' && parts[1] !== undefined) {
      const n = Number(parts[1]);
      const sub = parts[2];
      return {
        label: sub ? `${t.travel.legN(n + 1)}, ${t.travel.legFields[sub] ?? sub}` : t.travel.legN(n + 1),
        anchor: sub ? `travel-leg-${n}-${sub}` : `travel-leg-${n}`,
      };
    }
    if (head === 'expense_ids' || head === 'expenses') return { label: t.travel.expenses, anchor: 'travel-expenses' };
    return null;
  };
  const errorFor = (field: string): string | undefined =>
    ((REQUIRED as readonly string[]).includes(field) ? missing[field as Required] : undefined) ?? fieldMessage(error, field);

  const offered = available.filter(
    (expense) => expense.travel_claim_id === null || expense.travel_claim_id === id || form.expense_ids.includes(expense.id),
  );
  const attached = claim?.expenses ?? [];
  const expenseRows = [
    ...attached.map((expense) => ({ ...expense, travel_claim_id: id })),
    ...offered.filter((expense) => !attached.some((other) => other.id === expense.id)),
  ];

  const title = claim
    ? claim.destination
      ? t.travel.claimTitle(claim.destination)
      : t.travel.claimUntitled
    : t.travel.newTitle;

  const input = (
    field: 'purpose' | 'destination' | 'distance_from_home_km' | 'distance_from_workplace_km',
    extra: Record<string, unknown> = {},
    hint?: string,
  ) => {
    const fieldId = `travel-${field}`;
    const problem = errorFor(field);
    const describedBy = [hint && `${fieldId}-hint`, problem && `${fieldId}-error`].filter(Boolean).join(' ') || undefined;
    return (
      <div class="field">
        <label for={fieldId}>{t.travel.fields[field]}</label>
        <input
          id={fieldId}
          autocomplete="off"
          value={form[field]}
          onInput={(event) => update({ [field]: event.currentTarget.value })}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy}
          {...extra}
        />
        {hint && (
          <p id={`${fieldId}-hint`} class="field__hint">
            {hint}
          </p>
        )}
        <InlineError id={`${fieldId}-error`} message={problem} />
      </div>
    );
  };

  const dateTime = (field: 'departure_at' | 'return_at') => {
    const fieldId = `travel-${field}`;
    const problem = errorFor(field);
    return (
      <div class="field">
        <label for={fieldId}>{t.travel.fields[field]}</label>
        <input
          id={fieldId}
          type="datetime-local"
          required
          value={form[field]}
          min={field === 'return_at' ? form.departure_at || undefined : undefined}
          onInput={(event) => {
            update({ [field]: event.currentTarget.value });
            setMissing((current) => ({ ...current, [field]: undefined }));
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${fieldId}-error` : undefined}
        />
        <InlineError id={`${fieldId}-error`} message={problem} />
      </div>
    );
  };

  const countryKnown = form.country_code === DOMESTIC || countries.some((c) => c.country_code === form.country_code);

  return (
    <div class="stack">
      <BackLink href="/travel" text={t.travel.back} />
      <div class="page-title">
        <PageHeading title={title} />
        {claim && <StateBadge state={state} />}
      </div>
      <p role="status" class={message ? 'alert alert--success' : 'visually-hidden'}>
        {message}
      </p>
      <AttestStatus
        state={state}
        attest={claim?.attest ?? null}
        returnedTitle={t.travel.returned}
        returnedHint={t.travel.returnedHint}
      />
      <FormProblems id="travel-problems" error={error} where={placeOf} />

      {claim && <TravelResult claim={claim} stale={dirty} />}

      {editable ? (
        <form
          class="stack"
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void onSave(save, () => focusSoon('travel-result'));
          }}
        >
          <section class="card stack" aria-labelledby="travel-trip">
            <h2 id="travel-trip">{t.travel.trip}</h2>
            {input('purpose', { maxLength: 500 })}
            <div class="field">
              <label for="travel-country_code">{t.travel.fields.country_code}</label>
              <select
                id="travel-country_code"
                value={form.country_code}
                onChange={(event) => update({ country_code: event.currentTarget.value })}
                aria-invalid={errorFor('country_code') ? true : undefined}
                aria-describedby={
                  ['travel-country_code-hint', errorFor('country_code') && 'travel-country_code-error']
                    .filter(Boolean)
                    .join(' ') || undefined
                }
              >
                <option value={DOMESTIC}>{t.travel.domestic}</option>
                {!countryKnown && <option value={form.country_code}>{form.country_code}</option>}
                {countries.map((country) => (
                  <option key={country.country_code} value={country.country_code}>
                    {country.country_name}
                  </option>
                ))}
              </select>
              <p id="travel-country_code-hint" class="field__hint">
                {t.travel.countryHint}
              </p>
              <InlineError id="travel-country_code-error" message={errorFor('country_code')} />
            </div>
            {input('destination', { maxLength: 200 })}
            <div class="field-row field-row--even">
              {dateTime('departure_at')}
              {dateTime('return_at')}
            </div>
            <div class="field-row field-row--even">
              {input('distance_from_home_km', { inputMode: 'decimal' }, t.travel.distanceHint)}
              {input('distance_from_workplace_km', { inputMode: 'decimal' })}
            </div>
            <label class="choice" id="travel-lodging_paid_by_employer">
              <input
                type="checkbox"
                checked={form.lodging_paid_by_employer}
                onChange={(event) => update({ lodging_paid_by_employer: event.currentTarget.checked })}
                aria-describedby="travel-lodging-hint"
              />
              <span>{t.travel.fields.lodging_paid_by_employer}</span>
            </label>
            <p id="travel-lodging-hint" class="field__hint">
              {t.travel.lodgingHint}
            </p>
            <div class="field">
              <label for="travel-long_stay">{t.travel.fields.long_stay}</label>
              <select
                id="travel-long_stay"
                value={form.long_stay}
                onChange={(event) => {
                  const longStay = event.currentTarget.value as ClaimForm['long_stay'];
                  // Not a long stay: no date either (the API would still reduce by it).
                  update(longStay === 'none' ? { long_stay: longStay, same_place_since: null } : { long_stay: longStay });
                  if (longStay === 'none') setMissing((current) => ({ ...current, same_place_since: undefined }));
                }}
                aria-invalid={errorFor('long_stay') ? true : undefined}
                aria-describedby={['travel-long_stay-hint', errorFor('long_stay') && 'travel-long_stay-error'].filter(Boolean).join(' ')}
              >
                {LONG_STAYS.map((value) => (
                  <option key={value} value={value}>
                    {t.travel.longStays[value]}
                  </option>
                ))}
              </select>
              <p id="travel-long_stay-hint" class="field__hint">
                {t.travel.longStayHint}
              </p>
              <InlineError id="travel-long_stay-error" message={errorFor('long_stay')} />
            </div>
            {(form.long_stay !== 'none' || form.same_place_since) && (
              <SamePlaceSince
                value={form.same_place_since ?? ''}
                departure={form.departure_at.slice(0, 10)}
                problem={errorFor('same_place_since')}
                onInput={(value) => {
                  update({ same_place_since: value || null });
                  setMissing((current) => ({ ...current, same_place_since: undefined }));
                }}
              />
            )}
          </section>

          <section class="card" aria-labelledby="travel-meals">
            <h2 id="travel-meals">{t.travel.meals}</h2>
            <p class="field__hint">{t.travel.mealsHint}</p>
            {days.length === 0 ? (
              <p class="muted">{t.travel.mealsNoDates}</p>
            ) : (
              <ul class="plain-list">
                {days.map((day, index) => {
                  const sent = mealDays.indexOf(day);
                  const problem = sent >= 0 ? fieldMessage(error, `meals.${sent}.date`) : undefined;
                  const given = form.meals[day] ?? { breakfast: false, lunch: false, dinner: false };
                  return (
                    <li key={day}>
                      <fieldset
                        class="fieldset meal-day"
                        id={`travel-meals-${day}`}
                        tabIndex={-1}
                        aria-describedby={problem ? `travel-meals-${day}-error` : undefined}
                      >
                        <legend>{t.travel.dayN(index + 1, formatWeekday(day, 'long'))}</legend>
                        <div class="meal-day__choices">
                          {MEALS.map((meal) => (
                            <label key={meal} class="choice">
                              <input
                                type="checkbox"
                                checked={given[meal]}
                                onChange={(event) =>
                                  update({ meals: { ...form.meals, [day]: { ...given, [meal]: event.currentTarget.checked } } })
                                }
                              />
                              <span>{t.travel.mealNames[meal]}</span>
                            </label>
                          ))}
                        </div>
                        <InlineError id={`travel-meals-${day}-error`} message={problem} />
                      </fieldset>
                    </li>
                  );
                })}
              </ul>
            )}
          </section>

          <section class="card" aria-labelledby="travel-mileage">
            <h2 id="travel-mileage">{t.travel.mileage}</h2>
            <InlineError id="travel-mileage-error" message={fieldMessage(error, 'mileage')} />
            {form.legs.length === 0 && <p class="muted">{t.travel.noLegs}</p>}
            <ol class="rows">
              {form.legs.map((leg, index) => (
                <LegEditor
                  key={leg.key}
                  leg={leg}
                  index={index}
                  days={days}
                  error={error}
                  onChange={(next) => changeLeg(index, next)}
                  onRemove={() => {
                    update({ legs: form.legs.filter((_, i) => i !== index) });
                    requestAnimationFrame(() => document.getElementById('travel-add-leg')?.focus());
                  }}
                />
              ))}
            </ol>
            <button
              id="travel-add-leg"
              type="button"
              class="button button--secondary has-icon"
              onClick={() => {
                const next = form.legs.length;
                update({
                  legs: [
                    ...form.legs,
                    {
                      key: legKey(),
                      date: days[0] ?? '',
                      from_place: '',
                      to_place: '',
                      purpose: '',
                      distance_km: '',
                      vehicle: 'own_car',
                    },
                  ],
                });
                requestAnimationFrame(() => document.getElementById(`travel-leg-${next}-date`)?.focus());
              }}
            >
              <span aria-hidden="true">+</span>
              {t.travel.addLeg}
            </button>
          </section>

          <section class="card" aria-labelledby="travel-expenses-title" id="travel-expenses" tabIndex={-1}>
            <h2 id="travel-expenses-title">{t.travel.expenses}</h2>
            <p class="field__hint">{t.travel.expensesHint}</p>
            {(error?.problem.errors ?? [])
              .filter((problem) => problem.field.startsWith('expense'))
              .map((problem, index) => (
                <p key={index} class="field__error">
                  {problem.message}
                </p>
              ))}
            {expenseRows.length === 0 ? (
              <p class="muted">{t.travel.noExpenses}</p>
            ) : (
              <ul class="plain-list">
                {expenseRows.map((expense) => (
                  <li key={expense.id}>
                    <label class="choice">
                      <input
                        type="checkbox"
                        checked={form.expense_ids.includes(expense.id)}
                        onChange={(event) =>
                          update({
                            expense_ids: event.currentTarget.checked
                              ? [...form.expense_ids, expense.id]
                              : form.expense_ids.filter((other) => other !== expense.id),
                          })
                        }
                      />
                      <span>
                        {expenseName(t, expense)}
                        {expense.expense_date && `, ${formatDate(expense.expense_date, 'medium')}`}
                        {expense.amount_sek && `, ${formatMoney(expense.amount_sek)}`}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <div class="action-bar">
            {dirty && claim && <p class="muted action-bar__note">{t.travel.recompute}</p>}
            <div class="button-row">
              <button type="submit" class="button button--secondary" aria-disabled={busy !== null}>
                {busy === 'save' ? t.travel.saving : t.travel.save}
              </button>
              <button
                type="button"
                class="button button--primary"
                aria-disabled={busy !== null}
                onClick={() => void onSubmit(save, dirty || !claim)}
              >
                {busy === 'submit' ? t.travel.submitting : state === 'returned' ? t.travel.resubmit : t.travel.submit}
              </button>
            </div>
          </div>
        </form>
      ) : (
        claim && <ClaimFacts claim={claim} />
      )}

      {claim?.attest && (
        <ReportError subject={{ subject_kind: 'item', item_subject_id: claim.id }} about={title} id="report-travel" />
      )}
      {claim && <ItemHistory entries={claim.history} id="travel-history" />}

      {claim && editable && !claim.attest && (
        <p>
          <button type="button" class="button button--danger" onClick={() => void remove()}>
            {t.travel.delete}
          </button>
        </p>
      )}
    </div>
  );
}
