/**
 * Pieces of a travel claim that more than one screen shows: the computed result (totals, per diem
 * day by day, mileage leg by leg, each with its explanation) and the trip's facts as submitted.
 * The employee's claim page and the manager's attest view both use them.
 */
import { useT, type Messages } from '../../i18n';
import { formatDate, formatDateTime, formatMoney, formatNumber, formatWeekday } from '../../i18n/format';
import { DOMESTIC, MEALS, type TravelClaimView } from './model';

export function expenseName(t: Messages, expense: { merchant: string | null; category: string | null }): string {
  return expense.merchant?.trim() || (expense.category ? (t.expenses.categories[expense.category] ?? expense.category) : t.expenses.unnamed);
}

/** Tax-free and taxable parts, then every day and every leg with the rule applied and its figures. */
export function TravelResult({ claim, stale = false }: { claim: TravelClaimView; stale?: boolean }) {
  const t = useT();
  const { totals, per_diem: perDiem, mileage } = claim;
  return (
    <section class="card stack" aria-labelledby="travel-result-title" id="travel-result" tabIndex={-1}>
      <h2 id="travel-result-title">{t.travel.result}</h2>
      {stale && <p class="alert alert--info">{t.travel.recompute}</p>}
      <dl class="facts">
        <div>
          <dt>{t.travel.perDiem}</dt>
          <dd class="travel-per-diem">{formatMoney(totals.per_diem)}</dd>
        </div>
        <div>
          <dt>{t.travel.mileageAmount}</dt>
          <dd>{formatMoney(totals.mileage)}</dd>
        </div>
        {Number(totals.expenses) > 0 && (
          <div>
            <dt>{t.travel.expensesAmount}</dt>
            <dd>{formatMoney(totals.expenses)}</dd>
          </div>
        )}
        <div>
          <dt>{t.travel.total}</dt>
          <dd class="claim-total">{formatMoney(totals.total)}</dd>
        </div>
        <div>
          <dt>{t.travel.taxFree}</dt>
          <dd class="travel-tax-free">{formatMoney(totals.tax_free)}</dd>
        </div>
        <div>
          <dt>{t.travel.taxable}</dt>
          <dd class="travel-taxable">{formatMoney(totals.taxable)}</dd>
        </div>
      </dl>
      <p class="muted">{t.travel.taxableHint}</p>

      <section aria-labelledby="travel-per-diem-days">
        <h3 id="travel-per-diem-days">{t.travel.perDiemDays}</h3>
        {(!perDiem.qualifies || perDiem.days.length === 0) && <p>{perDiem.explanation}</p>}
        <ol class="plain-list">
          {perDiem.days.map((day) => (
            <li key={day.date} class="travel-day">
              <p class="travel-day__head">
                <strong>{formatWeekday(day.date, 'long')}</strong>
                <span>{formatMoney(day.paid)}</span>
              </p>
              <p class="travel-day__explanation">{day.explanation}</p>
              <dl class="facts facts--compact">
                <div>
                  <dt>{t.travel.allowance}</dt>
                  <dd>{formatMoney(day.allowance)}</dd>
                </div>
                {Number(day.meal_reduction) > 0 && (
                  <div>
                    <dt>
                      {t.travel.mealReduction(day.meals_provided.map((meal) => t.travel.mealNames[meal as 'lunch'] ?? meal))}
                    </dt>
                    <dd>−{formatMoney(day.meal_reduction)}</dd>
                  </div>
                )}
                {day.night && (day.night.lodging === 'own_arrangement' || Number(day.night.paid) > 0) && (
                  <div>
                    <dt>{t.travel.night}</dt>
                    <dd>{formatMoney(day.night.paid)}</dd>
                  </div>
                )}
                <div>
                  <dt>{t.travel.taxFree}</dt>
                  <dd>{formatMoney(day.tax_free)}</dd>
                </div>
                {Number(day.taxable) > 0 && (
                  <div>
                    <dt>{t.travel.taxable}</dt>
                    <dd>{formatMoney(day.taxable)}</dd>
                  </div>
                )}
              </dl>
            </li>
          ))}
        </ol>
      </section>

      {mileage.legs.length > 0 && (
        <section aria-labelledby="travel-mileage-legs">
          <h3 id="travel-mileage-legs">{t.travel.mileageLegs}</h3>
          <ol class="plain-list">
            {mileage.legs.map((leg, index) => (
              <li key={index} class="travel-day">
                <p class="travel-day__head">
                  <strong>
                    {leg.from_place} – {leg.to_place}
                  </strong>
                  <span>{formatMoney(leg.paid)}</span>
                </p>
                <p class="travel-day__explanation">{leg.explanation}</p>
                <dl class="facts facts--compact">
                  <div>
                    <dt>{t.travel.distance}</dt>
                    <dd>
                      {t.travel.km(formatNumber(leg.distance_km))} ({t.travel.mil(formatNumber(leg.mil))})
                    </dd>
                  </div>
                  <div>
                    <dt>{t.travel.rate}</dt>
                    <dd>{t.travel.perMil(formatMoney(leg.rate_per_mil))}</dd>
                  </div>
                  <div>
                    <dt>{t.travel.taxFree}</dt>
                    <dd>{formatMoney(leg.tax_free)}</dd>
                  </div>
                  <div>
                    <dt>{t.travel.taxable}</dt>
                    <dd>{formatMoney(leg.taxable)}</dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        </section>
      )}
    </section>
  );
}

/** The claim as it was submitted (read only). */
export function ClaimFacts({ claim }: { claim: TravelClaimView }) {
  const t = useT();
  const meals = claim.meals.filter((day) => day.breakfast || day.lunch || day.dinner);
  return (
    <section class="card" aria-labelledby="travel-trip">
      <h2 id="travel-trip">{t.travel.trip}</h2>
      <dl class="facts">
        <div>
          <dt>{t.travel.fields.purpose}</dt>
          <dd>{claim.purpose ?? '–'}</dd>
        </div>
        <div>
          <dt>{t.travel.fields.destination}</dt>
          <dd>
            {claim.destination ?? '–'}
            {claim.country_code !== DOMESTIC && ` (${claim.country_code})`}
          </dd>
        </div>
        <div>
          <dt>{t.travel.fields.departure_at}</dt>
          <dd>{formatDateTime(claim.departure_at)}</dd>
        </div>
        <div>
          <dt>{t.travel.fields.return_at}</dt>
          <dd>{formatDateTime(claim.return_at)}</dd>
        </div>
        <div>
          <dt>{t.travel.fields.distance_from_home_km}</dt>
          <dd>{formatNumber(claim.distance_from_home_km)}</dd>
        </div>
        <div>
          <dt>{t.travel.fields.distance_from_workplace_km}</dt>
          <dd>{formatNumber(claim.distance_from_workplace_km)}</dd>
        </div>
        {(claim.long_stay !== 'none' || claim.same_place_since) && (
          <div>
            <dt>{t.travel.fields.long_stay}</dt>
            <dd>
              {claim.same_place_since
                ? `${t.travel.fields.same_place_since} ${formatDate(claim.same_place_since, 'medium')}`
                : t.travel.longStays[claim.long_stay]}
            </dd>
          </div>
        )}
        <div>
          <dt>{t.travel.fields.lodging_paid_by_employer}</dt>
          <dd>{claim.lodging_paid_by_employer ? t.travel.yes : t.travel.no}</dd>
        </div>
        {meals.length > 0 && (
          <div>
            <dt>{t.travel.meals}</dt>
            <dd>
              {meals
                .map(
                  (day) =>
                    `${formatDate(day.date, 'medium')}: ${MEALS.filter((meal) => day[meal])
                      .map((meal) => t.travel.mealNames[meal])
                      .join(', ')}`,
                )
                .join('; ')}
            </dd>
          </div>
        )}
        {claim.expenses.length > 0 && (
          <div>
            <dt>{t.travel.expenses}</dt>
            <dd>
              <ul class="plain-list">
                {claim.expenses.map((expense) => (
                  <li key={expense.id}>
                    {[
                      expenseName(t, expense),
                      expense.expense_date && formatDate(expense.expense_date, 'medium'),
                      expense.amount_sek && formatMoney(expense.amount_sek),
                      expense.payment === 'company_card' && t.expenses.form.paymentCompanyCard,
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
