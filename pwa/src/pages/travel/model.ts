/** Travel claims as the API shows them (backend/travel/schemas.py), and the form's own shape. */
import type { Schema } from '../../api';
import { decimalOrTyped } from '../../numbers';
import { addDays } from '../../calendar';

export type Vehicle = Schema<'LegIn'>['vehicle'];
export const VEHICLES = ['own_car', 'company_car_fossil', 'company_car_electric'] as const satisfies readonly Vehicle[];
export type LongStay = Schema<'TravelClaimIn'>['long_stay'];
export const LONG_STAYS = ['none', 'after_3_months', 'after_2_years'] as const satisfies readonly LongStay[];
export const MEALS = ['breakfast', 'lunch', 'dinner'] as const;
export type Meal = (typeof MEALS)[number];
export const DOMESTIC = 'SE';

export type MealsDay = Schema<'MealsView'>;
export type NightView = Schema<'NightView'>;
export type PerDiemDay = Schema<'PerDiemDayView'>;
export type PerDiem = Schema<'PerDiemView'>;
export type MileageLegView = Schema<'MileageLegView'>;
export type Mileage = Schema<'MileageView'>;
export type ExpenseRef = Schema<'ExpenseRef'>;
export type Totals = Schema<'TotalsView'>;
export type TravelClaimView = Schema<'TravelClaimView'>;
export type TravelClaimSummary = Schema<'TravelClaimSummary'>;
export type Normalbelopp = Schema<'NormalbeloppView'>;
/** What PUT /api/travel-claims/{id} takes. */
export type TravelClaimIn = Schema<'TravelClaimIn'>;

/**
 * The countries a traveller can choose: one entry per country, whatever years the table holds
 * (without a departure date the API lists every loaded year), named as in the latest year, A-Ö.
 */
export function countryChoices(rows: Normalbelopp[]): Normalbelopp[] {
  const latest = new Map<string, Normalbelopp>();
  for (const row of rows) {
    const kept = latest.get(row.country_code);
    if (!kept || row.year > kept.year) latest.set(row.country_code, row);
  }
  return [...latest.values()].sort((a, b) => a.country_name.localeCompare(b.country_name, 'sv'));
}

export interface LegForm {
  key: string;
  date: string;
  from_place: string;
  to_place: string;
  purpose: string;
  distance_km: string;
  vehicle: Vehicle;
}

export interface ClaimForm {
  purpose: string;
  destination: string;
  country_code: string;
  departure_at: string;
  return_at: string;
  distance_from_home_km: string;
  distance_from_workplace_km: string;
  lodging_paid_by_employer: boolean;
  meals: Record<string, Record<Meal, boolean>>;
  long_stay: LongStay;
  same_place_since: string | null;
  legs: LegForm[];
  expense_ids: string[];
}

let keys = 0;
export function legKey(): string {
  keys += 1;
  return `leg-${keys}`;
}

/** "2026-03-02T08:00:00+01:00" as a datetime-local value: the Stockholm wall clock the API gives. */
export function localInput(timestamp: string): string {
  return timestamp.slice(0, 16);
}

/** The number as the API sent it, without trailing zeros ("470.00" -> "470"). */
export function plain(value: string): string {
  const number = Number(value);
  return Number.isFinite(number) ? String(number) : value;
}

export function blankForm(): ClaimForm {
  return {
    purpose: '',
    destination: '',
    country_code: DOMESTIC,
    departure_at: '',
    return_at: '',
    distance_from_home_km: '',
    distance_from_workplace_km: '',
    lodging_paid_by_employer: true,
    meals: {},
    long_stay: 'none',
    same_place_since: null,
    legs: [],
    expense_ids: [],
  };
}

export function toForm(claim: TravelClaimView): ClaimForm {
  return {
    purpose: claim.purpose ?? '',
    destination: claim.destination ?? '',
    country_code: claim.country_code,
    departure_at: localInput(claim.departure_at),
    return_at: localInput(claim.return_at),
    distance_from_home_km: plain(claim.distance_from_home_km),
    distance_from_workplace_km: plain(claim.distance_from_workplace_km),
    lodging_paid_by_employer: claim.lodging_paid_by_employer,
    meals: Object.fromEntries(
      claim.meals.map((day) => [day.date, { breakfast: day.breakfast, lunch: day.lunch, dinner: day.dinner }]),
    ),
    long_stay: claim.long_stay,
    same_place_since: claim.same_place_since,
    legs: claim.mileage.legs.map((leg) => ({
      key: legKey(),
      date: leg.date,
      from_place: leg.from_place,
      to_place: leg.to_place,
      purpose: leg.purpose ?? '',
      distance_km: plain(leg.distance_km),
      vehicle: leg.vehicle,
    })),
    expense_ids: claim.expenses.map((expense) => expense.id),
  };
}

/**
 * The same day some months later, as the per diem rules count a long stay
 * (backend/domain/travel/per_diem.py, `_add_months`): a day the month lacks
 * overflows to the 1st of the next month ("2026-11-30" + 3 months -> "2027-03-01").
 */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  const index = (m ?? 1) - 1 + months;
  const year = (y ?? 1970) + Math.floor(index / 12);
  const month = (((index % 12) + 12) % 12) + 1;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  if ((d ?? 1) <= days) return `${year}-${pad(month)}-${pad(d ?? 1)}`;
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return `${next.year}-${pad(next.month)}-01`;
}

/** Every calendar day of the trip, departure to return ("2026-03-02" ...), at most 100. */
export function tripDays(departure: string, returnAt: string): string[] {
  const first = departure.slice(0, 10);
  const last = returnAt.slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(first) || !/^\d{4}-\d{2}-\d{2}$/.test(last) || last < first) return [];
  const days: string[] = [];
  for (let day = first; day <= last && days.length < 100; day = addDays(day, 1)) days.push(day);
  return days;
}

function decimal(value: string): string {
  return value.trim() === '' ? '0' : decimalOrTyped(value);
}

/** The body for PUT, with the meals sent (their order names them in the server's problems). */
export function toBody(form: ClaimForm): { body: TravelClaimIn; mealDays: string[] } {
  const days = tripDays(form.departure_at, form.return_at);
  const meals = days
    .map((date) => ({ date, ...(form.meals[date] ?? { breakfast: false, lunch: false, dinner: false }) }))
    .filter((day) => day.breakfast || day.lunch || day.dinner);
  const seconds = (value: string) => (value.length === 16 ? `${value}:00` : value);
  return {
    body: {
      departure_at: seconds(form.departure_at),
      return_at: seconds(form.return_at),
      purpose: form.purpose.trim() || null,
      destination: form.destination.trim() || null,
      country_code: form.country_code,
      distance_from_home_km: decimal(form.distance_from_home_km),
      distance_from_workplace_km: decimal(form.distance_from_workplace_km),
      lodging_paid_by_employer: form.lodging_paid_by_employer,
      meals,
      long_stay: form.long_stay,
      same_place_since: form.same_place_since,
      mileage: form.legs.map((leg) => ({
        date: leg.date,
        from_place: leg.from_place.trim(),
        to_place: leg.to_place.trim(),
        purpose: leg.purpose.trim() || null,
        distance_km: decimal(leg.distance_km),
        vehicle: leg.vehicle,
      })),
      expense_ids: form.expense_ids,
    },
    mealDays: meals.map((day) => day.date),
  };
}
