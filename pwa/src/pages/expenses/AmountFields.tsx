/** The amount, its currency and, for another currency, the exchange rate and what it makes in kronor. */
import { locale, useT } from '../../i18n';
import { formatMoney } from '../../i18n/format';
import { Field } from './fields';
import type { RateInfo } from './hooks';
import type { FieldsProps } from './marks';
import { CURRENCIES, showDecimal } from './model';

export function AmountFields({
  form,
  set,
  marks,
  showOn,
  focusProps,
  rateInfo,
  rateFromProvider,
  amountSek,
}: FieldsProps & {
  rateInfo: RateInfo;
  /** The rate shown is the provider's (not typed). */
  rateFromProvider: boolean;
  /** The amount in kronor, when it can be worked out. */
  amountSek: string | null;
}) {
  const t = useT();
  const lang = locale.value;
  const { errorFor, uncertain, currencyUncertain, notReadText, rememberedHint } = marks;
  const foreign = form.currency !== 'SEK';
  const currencies: string[] = CURRENCIES.includes(form.currency as (typeof CURRENCIES)[number])
    ? [...CURRENCIES]
    : [form.currency, ...CURRENCIES];
  return (
    <>
      <div class="field-row">
        <Field
          id="expense-amount"
          label={t.expenses.fields.amount ?? ''}
          uncertain={uncertain('amount')}
          uncertainText={notReadText('amount')}
          error={errorFor('amount')}
          onShow={showOn('amount')}
        >
          {(describedBy) => (
            <input
              id="expense-amount"
              name="amount"
              inputMode="decimal"
              autocomplete="off"
              value={form.amount}
              onInput={(e) => set('amount', e.currentTarget.value)}
              aria-invalid={errorFor('amount') ? true : undefined}
              aria-describedby={describedBy}
              {...focusProps('amount')}
            />
          )}
        </Field>
        <Field
          id="expense-currency"
          label={t.expenses.fields.currency ?? ''}
          uncertain={currencyUncertain}
          hint={rememberedHint('currency')}
          error={errorFor('currency')}
        >
          {(describedBy) => (
            <select
              id="expense-currency"
              name="currency"
              value={form.currency}
              onChange={(e) => set('currency', e.currentTarget.value)}
              aria-invalid={errorFor('currency') ? true : undefined}
              aria-describedby={describedBy}
              {...focusProps('currency')}
            >
              {currencies.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {foreign && (
        <Field
          id="expense-exchange_rate"
          label={t.expenses.form.exchangeRate(form.currency)}
          error={errorFor('exchange_rate')}
          hint={
            <>
              {rateInfo?.kind === 'fetched' && rateFromProvider
                ? t.expenses.form.rateFetched(showDecimal(rateInfo.rate, lang), rateInfo.date, rateInfo.source)
                : rateInfo?.kind === 'manual'
                  ? t.expenses.form.rateManual
                  : null}
              {amountSek && (
                <>
                  {' '}
                  <strong>{t.expenses.form.amountSek(formatMoney(amountSek))}</strong>
                </>
              )}
            </>
          }
        >
          {(describedBy) => (
            <input
              id="expense-exchange_rate"
              name="exchange_rate"
              inputMode="decimal"
              autocomplete="off"
              value={form.exchange_rate}
              onInput={(e) => set('exchange_rate', e.currentTarget.value)}
              aria-invalid={errorFor('exchange_rate') ? true : undefined}
              aria-describedby={describedBy}
            />
          )}
        </Field>
      )}
    </>
  );
}
