import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatDate, formatMoney } from '../../i18n/format';
import type { ClaimForm, TravelClaimView } from './model';
import { expenseName } from './parts';
import type { AvailableExpense } from './useTripChoices';

/**
 * The expenses that go with the trip: those already in the claim, then the drafts not in another
 * claim (or chosen here), each with a box to tick.
 */
export function TripExpenses({
  id,
  claim,
  available,
  expenseIds,
  error,
  update,
}: {
  /** The claim's id. */
  id: string;
  claim: TravelClaimView | null;
  available: AvailableExpense[];
  expenseIds: string[];
  error: ApiError | null;
  update: (next: Partial<ClaimForm>) => void;
}) {
  const t = useT();
  const offered = available.filter(
    (expense) => expense.travel_claim_id === null || expense.travel_claim_id === id || expenseIds.includes(expense.id),
  );
  const attached = claim?.expenses ?? [];
  const expenseRows = [
    ...attached.map((expense) => ({ ...expense, travel_claim_id: id })),
    ...offered.filter((expense) => !attached.some((other) => other.id === expense.id)),
  ];

  return (
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
                  checked={expenseIds.includes(expense.id)}
                  onChange={(event) =>
                    update({
                      expense_ids: event.currentTarget.checked
                        ? [...expenseIds, expense.id]
                        : expenseIds.filter((other) => other !== expense.id),
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
  );
}
