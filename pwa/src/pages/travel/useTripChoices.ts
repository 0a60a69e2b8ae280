import { api } from '../../api';
import { useLoad } from '../../useLoad';
import type { ExpenseView } from '../expenses/model';
import { countryChoices, type Normalbelopp } from './model';

/** An expense as the expenses list gives it: what is needed to offer it for a trip. */
export type AvailableExpense = Pick<ExpenseView, 'id' | 'expense_date' | 'merchant' | 'category' | 'amount_sek' | 'travel_claim_id'>;

/**
 * What a trip can be given: the expenses not yet in a claim, and the countries with their
 * normalbelopp for the year of `departureAt`. None offered while they cannot be had.
 */
export function useTripChoices(departureAt: string) {
  const unclaimed = useLoad((signal) => api.get<AvailableExpense[]>('/api/expenses?unclaimed=true', { signal }), []);
  const available = unclaimed.data ?? [];
  const year = /^\d{4}/.test(departureAt) ? departureAt.slice(0, 4) : '';
  const normalbelopp = useLoad(
    async (signal) => countryChoices(await api.get<Normalbelopp[]>(`/api/travel/normalbelopp${year ? `?year=${year}` : ''}`, { signal })),
    [year],
    { keep: true },
  );
  const countries = normalbelopp.error ? [] : (normalbelopp.data ?? []);
  return { available, countries };
}
