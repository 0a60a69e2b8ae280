import { useState } from 'preact/hooks';

import { api, ApiError, newId } from '../../api';
import { useT } from '../../i18n';
import { formatWeekday } from '../../i18n/format';
import { useLoad } from '../../useLoad';
import { blankForm, legKey, toForm, type ClaimForm, type LegForm, type TravelClaimView } from './model';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/**
 * The travel claim as the server has it (`claim`) and the form as the employee types it, with
 * `dirty` while there are changes not saved (the computed result is then stale), the fields the
 * form itself finds missing, and the meal days as last sent (the API names a meal problem by its
 * place in that list). `routeId` is the claim's id or `new`.
 */
export function useTravelClaimForm(routeId: string) {
  const t = useT();
  const creating = routeId === 'new';
  const [id] = useState(() => (creating ? newId() : routeId));
  const [claim, setClaim] = useState<TravelClaimView | null>(null);
  const [form, setForm] = useState<ClaimForm>(blankForm);
  const [mealDays, setMealDays] = useState<string[]>([]);
  const [missing, setMissing] = useState<Partial<Record<Required, string | undefined>>>({});
  const [dirty, setDirty] = useState(creating);

  /** The server's claim: the form starts again from it. */
  const adopt = (view: TravelClaimView) => {
    setClaim(view);
    setForm(toForm(view));
    setDirty(false);
  };

  const { error: loadError } = useLoad(async (signal) => {
    if (creating) return null;
    if (!UUID.test(routeId)) throw new ApiError({ title: t.travel.notFound, status: 404, code: 'not_found' });
    const found = await api.get<TravelClaimView>(`/api/travel-claims/${routeId}`, { signal });
    if (!signal.aborted) adopt(found);
    return found;
  }, []);

  const update = (next: Partial<ClaimForm>) => {
    setForm((current) => ({ ...current, ...next }));
    setDirty(true);
  };
  const changeLeg = (index: number, next: Partial<LegForm>) =>
    update({ legs: form.legs.map((leg, i) => (i === index ? { ...leg, ...next } : leg)) });

  /** A new leg on the trip's first day; its date gets the focus. */
  const addLeg = (days: string[]) => {
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
  };

  /** The leg goes; "add a leg" gets the focus. */
  const removeLeg = (index: number) => {
    update({ legs: form.legs.filter((_, i) => i !== index) });
    requestAnimationFrame(() => document.getElementById('travel-add-leg')?.focus());
  };

  /** The employee filled in a field the form asked for: its problem is gone. */
  const clearMissing = (field: Required) => setMissing((current) => ({ ...current, [field]: undefined }));

  /** What the form itself finds missing before saving; the first of it gets the focus. False when anything is. */
  const checkRequired = (): boolean => {
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
    return true;
  };

  /** The form's own problem with a field, if any. */
  const missingFor = (field: string): string | undefined =>
    (REQUIRED as readonly string[]).includes(field) ? missing[field as Required] : undefined;

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

  return {
    id,
    creating,
    claim,
    form,
    dirty,
    loadError,
    mealDays,
    setMealDays,
    adopt,
    update,
    changeLeg,
    addLeg,
    removeLeg,
    clearMissing,
    checkRequired,
    missingFor,
    placeOf,
  };
}

export type TravelClaimForm = ReturnType<typeof useTravelClaimForm>;
