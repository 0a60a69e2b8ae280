/** Parts of the travel claim form: when the stay at the place began, and one leg of mileage. */
import type { ApiError } from '../../api';
import { useT } from '../../i18n';
import { formatDate } from '../../i18n/format';
import { fieldMessage, InlineError } from '../time/common';
import { addMonths, VEHICLES, type LegForm } from './model';

/**
 * "På samma ort sedan": when the stay at the place began, required for a long stay. The per diem
 * is reduced from 3 months and from 2 years after it (counted as the API counts them).
 */
export function SamePlaceSince({
  value,
  departure,
  problem,
  onInput,
}: {
  value: string;
  departure: string;
  problem: string | undefined;
  onInput: (value: string) => void;
}) {
  const t = useT();
  const fieldId = 'travel-same_place_since';
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const describedBy = [`${fieldId}-hint`, valid && `${fieldId}-effect`, problem && `${fieldId}-error`]
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={fieldId}>{t.travel.fields.same_place_since}</label>
      <input
        id={fieldId}
        type="date"
        required
        value={value}
        max={/^\d{4}-\d{2}-\d{2}$/.test(departure) ? departure : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={describedBy}
      />
      <p id={`${fieldId}-hint`} class="field__hint">
        {t.travel.sinceHint}
      </p>
      {valid && (
        <p id={`${fieldId}-effect`} class="field__hint">
          {t.travel.sinceEffect(formatDate(addMonths(value, 3), 'medium'), formatDate(addMonths(value, 24), 'medium'))}
        </p>
      )}
      <InlineError id={`${fieldId}-error`} message={problem} />
    </div>
  );
}

/** One leg driven: the distance, the vehicle, what it was for. */
export function LegEditor({
  leg,
  index,
  days,
  error,
  onChange,
  onRemove,
}: {
  leg: LegForm;
  index: number;
  days: string[];
  error: ApiError | null;
  onChange: (next: Partial<LegForm>) => void;
  onRemove: () => void;
}) {
  const t = useT();
  const prefix = `travel-leg-${index}`;
  const label = t.travel.legN(index + 1);
  const field = (key: 'date' | 'from_place' | 'to_place' | 'purpose' | 'distance_km', extra: Record<string, unknown> = {}) => {
    const fieldId = `${prefix}-${key}`;
    const problem = fieldMessage(error, `mileage.${index}.${key}`);
    return (
      <div class="field">
        <label for={fieldId}>
          {t.travel.legFields[key]}
          {key === 'purpose' && <span class="muted"> {t.expenses.form.optional}</span>}
          <span class="visually-hidden">, {label}</span>
        </label>
        <input
          id={fieldId}
          autocomplete="off"
          value={leg[key]}
          onInput={(event) => onChange({ [key]: event.currentTarget.value })}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${fieldId}-error` : undefined}
          {...extra}
        />
        <InlineError id={`${fieldId}-error`} message={problem} />
      </div>
    );
  };
  return (
    <li class="row-group" id={prefix} tabIndex={-1}>
      <p class="row-group__title">{label}</p>
      {field('date', { type: 'date', min: days[0], max: days[days.length - 1] })}
      <div class="field-row">
        {field('from_place', { maxLength: 200 })}
        {field('to_place', { maxLength: 200 })}
      </div>
      {field('purpose', { maxLength: 500 })}
      <div class="field-row">
        {field('distance_km', { inputMode: 'decimal' })}
        <div class="field">
          <label for={`${prefix}-vehicle`}>
            {t.travel.legFields.vehicle}
            <span class="visually-hidden">, {label}</span>
          </label>
          <select
            id={`${prefix}-vehicle`}
            value={leg.vehicle}
            onChange={(event) => onChange({ vehicle: event.currentTarget.value as LegForm['vehicle'] })}
          >
            {VEHICLES.map((vehicle) => (
              <option key={vehicle} value={vehicle}>
                {t.travel.vehicles[vehicle]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <button type="button" class="button button--secondary" onClick={onRemove}>
        {t.travel.removeLeg}
        <span class="visually-hidden">: {label}</span>
      </button>
    </li>
  );
}
