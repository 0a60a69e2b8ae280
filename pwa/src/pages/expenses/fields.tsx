import type { ComponentChildren } from 'preact';

import { useT } from '../../i18n';
import type { Participant, VatRow } from './model';
import { VAT_RATES } from './model';

/** A labelled field with its uncertainty marker, hint and error, all tied to the input. */
export function Field({
  id,
  label,
  optional,
  uncertain,
  uncertainText,
  hint,
  error,
  onShow,
  children,
}: {
  id: string;
  label: string;
  optional?: boolean;
  uncertain?: boolean;
  /** Instead of "Osäker läsning – kontrollera", e.g. "Kunde inte läsas – fyll i" for an empty field. */
  uncertainText?: string | undefined;
  hint?: ComponentChildren;
  error?: string | undefined;
  onShow?: (() => void) | undefined;
  children: (describedBy: string | undefined) => ComponentChildren;
}) {
  const t = useT();
  const describedBy =
    [uncertain && `${id}-uncertain`, hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') ||
    undefined;
  return (
    <div class={uncertain ? 'field field--uncertain' : 'field'}>
      <div class="field__label-row">
        <label for={id}>
          {label}
          {optional && <span class="muted"> {t.expenses.form.optional}</span>}
        </label>
        {onShow && <ShowOnReceipt label={label} onShow={onShow} />}
      </div>
      {uncertain && <UncertainNote id={`${id}-uncertain`} text={uncertainText} />}
      {children(describedBy)}
      {hint && (
        <p id={`${id}-hint`} class="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

type ErrorFor = (field: string) => string | undefined;

/** "! Osäker läsning – kontrollera": an icon and words, never colour alone. */
export function UncertainNote({ id, text }: { id?: string; text?: string | undefined }) {
  const t = useT();
  return (
    <p id={id} class="field__uncertain">
      <span aria-hidden="true" class="field__uncertain-icon">
        !
      </span>
      {text ?? t.expenses.form.uncertain}
    </p>
  );
}

/** "Visa på kvittot" with the field's name for screen readers (the visible words come first). */
export function ShowOnReceipt({ label, onShow }: { label: string; onShow: () => void }) {
  const t = useT();
  return (
    <button type="button" class="link-button" onClick={onShow}>
      {t.expenses.form.showOnReceipt}
      <span class="visually-hidden">: {label}</span>
    </button>
  );
}

/** VAT per rate (25, 12, 6, 0 %), as many rows as the receipt has. */
export function VatList({
  rows,
  onChange,
  errorFor,
  uncertain,
  onShow,
  onFocus,
}: {
  rows: VatRow[];
  onChange: (rows: VatRow[]) => void;
  errorFor: ErrorFor;
  uncertain: boolean;
  onShow: (() => void) | undefined;
  onFocus: () => void;
}) {
  const t = useT();
  const label = t.expenses.fields.vat ?? 'vat';
  return (
    <fieldset class={uncertain ? 'fieldset field--uncertain' : 'fieldset'}>
      <legend>
        {label} <span class="muted">{t.expenses.form.optional}</span>
      </legend>
      {(uncertain || onShow) && (
        <div class="field__label-row">
          {uncertain ? <UncertainNote /> : <span />}
          {onShow && <ShowOnReceipt label={label} onShow={onShow} />}
        </div>
      )}
      {errorFor('vat') && <p class="field__error">{errorFor('vat')}</p>}
      <ol class="rows">
        {rows.map((row, index) => {
          const change = (key: keyof VatRow, value: string) =>
            onChange(rows.map((r, i) => (i === index ? { ...r, [key]: value } : r)));
          const rateId = `expense-vat-${index}-rate`;
          const amountId = `expense-vat-${index}-amount`;
          const rates: string[] = VAT_RATES.includes(row.rate as (typeof VAT_RATES)[number])
            ? [...VAT_RATES]
            : [row.rate, ...VAT_RATES];
          return (
            <li key={index} class="row-group">
              <p class="row-group__title">{t.expenses.form.vatRow(index + 1)}</p>
              <div class="field-row">
                <Field id={rateId} label={t.expenses.form.vatRate} error={errorFor(`vat.${index}.rate`)}>
                  {(describedBy) => (
                    <select
                      id={rateId}
                      value={row.rate}
                      onChange={(e) => change('rate', e.currentTarget.value)}
                      onFocus={onFocus}
                      aria-invalid={errorFor(`vat.${index}.rate`) ? true : undefined}
                      aria-describedby={describedBy}
                    >
                      {rates.map((value) => (
                        <option key={value} value={value}>
                          {value} %
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field id={amountId} label={t.expenses.form.vatAmount} error={errorFor(`vat.${index}.amount`)}>
                  {(describedBy) => (
                    <input
                      id={amountId}
                      inputMode="decimal"
                      autocomplete="off"
                      value={row.amount}
                      onInput={(e) => change('amount', e.currentTarget.value)}
                      onFocus={onFocus}
                      aria-invalid={errorFor(`vat.${index}.amount`) ? true : undefined}
                      aria-describedby={describedBy}
                    />
                  )}
                </Field>
              </div>
              <button
                type="button"
                class="button button--secondary"
                onClick={() => onChange(rows.filter((_, i) => i !== index))}
              >
                {t.expenses.form.removeVat(index + 1)}
              </button>
            </li>
          );
        })}
      </ol>
      <button type="button" class="button button--secondary" onClick={() => onChange([...rows, { rate: '25', amount: '' }])}>
        {t.expenses.form.addVat}
      </button>
    </fieldset>
  );
}

/** Who took part in business entertainment: name and company of each. */
export function ParticipantList({
  rows,
  onChange,
  errorFor,
}: {
  rows: Participant[];
  onChange: (rows: Participant[]) => void;
  errorFor: ErrorFor;
}) {
  const t = useT();
  const error = errorFor('participants');
  return (
    <fieldset class="fieldset" aria-describedby={error ? 'expense-participants-error' : undefined}>
      <legend>{t.expenses.fields.participants}</legend>
      {error && (
        <p id="expense-participants-error" class="field__error">
          {error}
        </p>
      )}
      <ol class="rows">
        {rows.map((person, index) => (
          <li key={index} class="row-group">
            <p class="row-group__title">{t.expenses.form.participant(index + 1)}</p>
            <div class="field-row">
              {(['name', 'company'] as const).map((key) => {
                const fieldId = `expense-participants-${index}-${key}`;
                const own = errorFor(`participants.${index}.${key}`);
                return (
                  <Field
                    key={key}
                    id={fieldId}
                    label={key === 'name' ? t.expenses.form.participantName : t.expenses.form.participantCompany}
                    error={own}
                  >
                    {(describedBy) => (
                      <input
                        id={fieldId}
                        autocomplete="off"
                        maxLength={100}
                        value={person[key]}
                        onInput={(e) =>
                          onChange(rows.map((p, i) => (i === index ? { ...p, [key]: e.currentTarget.value } : p)))
                        }
                        aria-invalid={own ? true : undefined}
                        aria-describedby={describedBy}
                      />
                    )}
                  </Field>
                );
              })}
            </div>
            <button
              type="button"
              class="button button--secondary"
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              {t.expenses.form.removeParticipant(index + 1)}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        class="button button--secondary"
        onClick={() => onChange([...rows, { name: '', company: '' }])}
      >
        {t.expenses.form.addParticipant}
      </button>
    </fieldset>
  );
}
