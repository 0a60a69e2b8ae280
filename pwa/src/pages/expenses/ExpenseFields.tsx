/** The expense form's fields, in the order the employee checks them against the receipt. */
import { Icon } from '../../components/Icon';
import { useT } from '../../i18n';
import { formatMoney, todayInSweden } from '../../i18n/format';
import { AmountFields } from './AmountFields';
import { Field, ParticipantList, VatList } from './fields';
import type { RateInfo } from './hooks';
import type { FieldsProps } from './marks';
import { CATEGORIES, type CostCentreView, type WellnessView } from './model';
import { ProjectPicker } from './ProjectPicker';

export function ExpenseFields(
  props: FieldsProps & {
    editable: boolean;
    /** A receipt is attached: the comment is optional. */
    hasReceipt: boolean;
    rateInfo: RateInfo;
    rateFromProvider: boolean;
    amountSek: string | null;
    wellness: WellnessView | null;
    /** The amount is more than what is left of the wellness allowance. */
    overWellness: boolean;
    costCentres: CostCentreView[];
    /** Choosing a project suggests its cost centre (unless the employee chose one). */
    suggest: (name: 'cost_centre_id', value: string) => void;
    setActive: (name: string) => void;
  },
) {
  const t = useT();
  const { form, set, suggest, marks, showOn, focusProps, editable, hasReceipt, wellness, overWellness, costCentres, setActive } =
    props;
  const { errorFor, uncertain, notReadText, rememberedHint } = marks;
  const today = todayInSweden();
  return (
    <fieldset class="fieldset-plain form" disabled={!editable}>
      <AmountFields {...props} />

      <Field
        id="expense-expense_date"
        label={t.expenses.fields.expense_date ?? ''}
        uncertain={uncertain('expense_date')}
        uncertainText={notReadText('expense_date')}
        error={errorFor('expense_date')}
        onShow={showOn('expense_date')}
      >
        {(describedBy) => (
          <input
            id="expense-expense_date"
            name="expense_date"
            type="date"
            max={today}
            value={form.expense_date}
            onInput={(e) => set('expense_date', e.currentTarget.value)}
            aria-invalid={errorFor('expense_date') ? true : undefined}
            aria-describedby={describedBy}
            {...focusProps('expense_date')}
          />
        )}
      </Field>

      <Field
        id="expense-merchant"
        label={t.expenses.fields.merchant ?? ''}
        uncertain={uncertain('merchant')}
        hint={rememberedHint('merchant')}
        uncertainText={notReadText('merchant')}
        error={errorFor('merchant')}
        onShow={showOn('merchant')}
      >
        {(describedBy) => (
          <input
            id="expense-merchant"
            name="merchant"
            autocomplete="off"
            maxLength={200}
            value={form.merchant}
            onInput={(e) => set('merchant', e.currentTarget.value)}
            aria-invalid={errorFor('merchant') ? true : undefined}
            aria-describedby={describedBy}
            {...focusProps('merchant')}
          />
        )}
      </Field>

      <Field
        id="expense-category"
        label={t.expenses.fields.category ?? ''}
        uncertain={uncertain('category')}
        error={errorFor('category')}
        hint={
          form.category === 'representation' ? t.expenses.form.representationHint : rememberedHint('category')
        }
      >
        {(describedBy) => (
          <select
            id="expense-category"
            name="category"
            value={form.category}
            onChange={(e) => {
              const next = e.currentTarget.value;
              set('category', next);
              if (next === 'representation' && form.participants.length === 0) {
                set('participants', [{ name: '', company: '' }]);
              }
            }}
            aria-invalid={errorFor('category') ? true : undefined}
            aria-describedby={describedBy}
            {...focusProps('category')}
          >
            <option value="">{t.expenses.form.chooseCategory}</option>
            {CATEGORIES.map((code) => (
              <option key={code} value={code}>
                {t.expenses.categories[code]}
              </option>
            ))}
          </select>
        )}
      </Field>

      {form.category?.startsWith('wellness') && wellness && (
        <div class={overWellness ? 'alert alert--warning' : 'alert alert--info'} role="status">
          <p>
            <strong>{t.expenses.form.wellness(formatMoney(wellness.remaining), wellness.year)}</strong>
          </p>
          <p>{t.expenses.form.wellnessUsed(formatMoney(wellness.used), formatMoney(wellness.cap))}</p>
          {wellness.employer_allowance && (
            <p>{t.expenses.form.wellnessEmployer(formatMoney(wellness.employer_allowance))}</p>
          )}
          {overWellness && (
            <p>
              <Icon name="warning" />{' '}
              {t.expenses.form.wellnessOver}
            </p>
          )}
        </div>
      )}

      {form.category === 'representation' && (
        <>
          <ParticipantList
            rows={form.participants}
            onChange={(rows) => set('participants', rows)}
            errorFor={errorFor}
          />
          <Field id="expense-purpose" label={t.expenses.fields.purpose ?? ''} error={errorFor('purpose')}>
            {(describedBy) => (
              <textarea
                id="expense-purpose"
                name="purpose"
                rows={2}
                maxLength={500}
                value={form.purpose}
                onInput={(e) => set('purpose', e.currentTarget.value)}
                aria-invalid={errorFor('purpose') ? true : undefined}
                aria-describedby={describedBy}
              />
            )}
          </Field>
        </>
      )}

      <fieldset class="fieldset" aria-describedby={errorFor('payment') ? 'expense-payment-error' : undefined}>
        <legend>{t.expenses.fields.payment}</legend>
        <div class="choices">
          {(['private', 'company_card'] as const).map((value) => (
            <label key={value} class="choice">
              <input
                type="radio"
                name="payment"
                value={value}
                checked={form.payment === value}
                onChange={() => set('payment', value)}
              />
              {value === 'private' ? t.expenses.form.paymentPrivate : t.expenses.form.paymentCompanyCard}
            </label>
          ))}
        </div>
        {errorFor('payment') && (
          <p id="expense-payment-error" class="field__error">
            {errorFor('payment')}
          </p>
        )}
      </fieldset>

      <VatList
        rows={form.vat}
        onChange={(rows) => set('vat', rows)}
        errorFor={errorFor}
        uncertain={uncertain('vat')}
        onShow={showOn('vat')}
        onFocus={() => setActive('vat')}
      />

      <Field
        id="expense-org_number"
        label={t.expenses.fields.org_number ?? ''}
        optional
        uncertain={uncertain('org_number')}
        uncertainText={notReadText('org_number')}
        error={errorFor('org_number')}
        onShow={showOn('org_number')}
      >
        {(describedBy) => (
          <input
            id="expense-org_number"
            name="org_number"
            autocomplete="off"
            maxLength={20}
            value={form.org_number}
            onInput={(e) => set('org_number', e.currentTarget.value)}
            aria-invalid={errorFor('org_number') ? true : undefined}
            aria-describedby={describedBy}
            {...focusProps('org_number')}
          />
        )}
      </Field>

      <ProjectPicker
        value={form.project_id}
        disabled={!editable}
        error={errorFor('project_id')}
        onChange={(project) => {
          set('project_id', project?.id ?? '');
          if (project?.cost_centre_id) suggest('cost_centre_id', project.cost_centre_id);
        }}
      />

      <Field
        id="expense-cost_centre_id"
        label={t.expenses.fields.cost_centre_id ?? ''}
        optional
        error={errorFor('cost_centre_id')}
      >
        {(describedBy) => (
          <select
            id="expense-cost_centre_id"
            name="cost_centre_id"
            value={form.cost_centre_id}
            onChange={(e) => set('cost_centre_id', e.currentTarget.value)}
            aria-invalid={errorFor('cost_centre_id') ? true : undefined}
            aria-describedby={describedBy}
          >
            <option value="">{t.expenses.form.noCostCentre}</option>
            {costCentres.map((centre) => (
              <option key={centre.id} value={centre.id}>
                {centre.code} {centre.name}
              </option>
            ))}
          </select>
        )}
      </Field>

      <Field
        id="expense-comment"
        label={t.expenses.fields.comment ?? ''}
        optional={hasReceipt}
        error={errorFor('comment') ?? errorFor('receipt')}
      >
        {(describedBy) => (
          <textarea
            id="expense-comment"
            name="comment"
            rows={3}
            maxLength={1000}
            value={form.comment}
            onInput={(e) => set('comment', e.currentTarget.value)}
            aria-invalid={errorFor('comment') ?? errorFor('receipt') ? true : undefined}
            aria-describedby={describedBy}
          />
        )}
      </Field>
    </fieldset>
  );
}
