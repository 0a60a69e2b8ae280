import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatWeekday } from '../../i18n/format';
import { fieldMessage, InlineError } from '../time/common';
import { MEALS, type ClaimForm } from './model';

/** The meals given free on each day of the trip (they reduce the per diem). */
export function MealsSection({
  days,
  meals,
  mealDays,
  error,
  update,
}: {
  /** The trip's days (none until both dates are given). */
  days: string[];
  meals: ClaimForm['meals'];
  /** The days as last sent: the API names a day's problem by its place there. */
  mealDays: string[];
  error: ApiError | null;
  update: (next: Partial<ClaimForm>) => void;
}) {
  const t = useT();
  return (
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
            const given = meals[day] ?? { breakfast: false, lunch: false, dinner: false };
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
                          onChange={(event) => update({ meals: { ...meals, [day]: { ...given, [meal]: event.currentTarget.checked } } })}
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
  );
}
