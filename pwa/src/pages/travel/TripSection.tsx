import { useT } from '../../i18n';
import { InlineError } from '../time/common';
import { DOMESTIC, LONG_STAYS, type ClaimForm, type Normalbelopp } from './model';
import { SamePlaceSince } from './TripFields';
import type { TravelClaimForm } from './useTravelClaimForm';

/** The trip: what for, where, when, how far from home and work, lodging, and a long stay at one place. */
export function TripSection({
  form,
  countries,
  update,
  errorFor,
  clearMissing,
}: {
  form: ClaimForm;
  /** The countries with a normalbelopp for the trip's year (none while they cannot be had). */
  countries: Normalbelopp[];
  update: (next: Partial<ClaimForm>) => void;
  errorFor: (field: string) => string | undefined;
  clearMissing: TravelClaimForm['clearMissing'];
}) {
  const t = useT();

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
            clearMissing(field);
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
            if (longStay === 'none') clearMissing('same_place_since');
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
            clearMissing('same_place_since');
          }}
        />
      )}
    </section>
  );
}
