import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { fieldMessage, InlineError } from '../time/common';
import type { LegForm } from './model';
import { LegEditor } from './TripFields';

/** The legs driven on the trip, each its own row; "add a leg" below them. */
export function MileageSection({
  legs,
  days,
  error,
  onChange,
  onRemove,
  onAdd,
}: {
  legs: LegForm[];
  days: string[];
  error: ApiError | null;
  onChange: (index: number, next: Partial<LegForm>) => void;
  onRemove: (index: number) => void;
  onAdd: () => void;
}) {
  const t = useT();
  return (
    <section class="card" aria-labelledby="travel-mileage">
      <h2 id="travel-mileage">{t.travel.mileage}</h2>
      <InlineError id="travel-mileage-error" message={fieldMessage(error, 'mileage')} />
      {legs.length === 0 && <p class="muted">{t.travel.noLegs}</p>}
      <ol class="rows">
        {legs.map((leg, index) => (
          <LegEditor
            key={leg.key}
            leg={leg}
            index={index}
            days={days}
            error={error}
            onChange={(next) => onChange(index, next)}
            onRemove={() => onRemove(index)}
          />
        ))}
      </ol>
      <button id="travel-add-leg" type="button" class="button button--secondary has-icon" onClick={onAdd}>
        <span aria-hidden="true">+</span>
        {t.travel.addLeg}
      </button>
    </section>
  );
}
