import { useRoute } from 'preact-iso';

import { BackLink } from '../../components/BackLink';
import { PageHeading } from '../../components/PageHeading';
import { PageLoad } from '../../components/PageLoad';
import { StateBadge } from '../../components/StateBadge';
import { useT } from '../../i18n';
import { todayInSweden } from '../../i18n/format';
import { compareDecimal, isReading, multiplyToOre, parseDecimal, submitProblems } from './model';
import { ExpenseActions } from './ExpenseActions';
import { ExpenseFields } from './ExpenseFields';
import { ExpenseNotices, ReadStatus } from './ExpenseNotices';
import { useCostCentres, useReceiptReading, useWellness } from './hooks';
import { fieldMarks } from './marks';
import { UploadProgress } from './PendingUploads';
import { ReceiptPanel } from './ReceiptPanel';
import type { Highlight } from './ReceiptViewer';
import { useExpenseForm } from './useExpenseForm';
import { useExpenseSave } from './useExpenseSave';
import { useReceiptHighlight } from './useReceiptHighlight';

export function ExpensePage() {
  const { params, query } = useRoute();
  const id = params.id ?? '';
  return <ExpenseEditor key={id} id={id} isNew={query.new === '1'} />;
}

/** One expense: pre-filled from its receipt, checked by the employee, saved. */
function ExpenseEditor({ id, isNew }: { id: string; isNew: boolean }) {
  const t = useT();
  const editor = useExpenseForm(id, isNew);
  const { expense, form, pending } = editor;
  const backHref = expense?.claim_id ? `/expenses/claims/${expense.claim_id}` : '/expenses';
  const actions = useExpenseSave({ id, isNew, editor, backHref });
  const { active, reveal, setActive, show } = useReceiptHighlight();
  const readStatus = useReceiptReading(expense?.receipt, editor.fetchExpense);

  // Wellness allowance: what is left of the year's tax-free amount.
  const expenseDate = form?.expense_date ?? '';
  const wellnessYear = /^\d{4}/.test(expenseDate) ? expenseDate.slice(0, 4) : todayInSweden().slice(0, 4);
  const wellness = useWellness(form?.category?.startsWith('wellness') === true, wellnessYear);
  const costCentres = useCostCentres();

  if (!expense || !form) {
    if (pending) {
      return (
        <div class="stack">
          <BackLink href="/expenses" text={t.expenses.back} />
          <PageHeading title={t.expenses.form.newTitle} />
          <section class="card" aria-label={t.expenses.form.receipt}>
            <UploadProgress upload={pending} />
          </section>
        </div>
      );
    }
    return (
      <PageLoad
        error={editor.loadError}
        lead={<BackLink href="/expenses" text={t.expenses.back} />}
        notFound={
          <>
            <PageHeading title={t.expenses.form.notFound} />
            <p>{t.expenses.form.notFoundBody}</p>
          </>
        }
      />
    );
  }

  const editable = expense.editable;
  const problems = (submitProblems.value[id] ?? []).filter((p) => p.field !== 'expense_ids');
  const reading = readStatus === 'reading' || readStatus === 'slow' || isReading(expense.receipt);
  const marks = fieldMarks({
    t,
    expense,
    form,
    touched: editor.touched.current,
    reading,
    localErrors: editor.localErrors,
    saveError: actions.saveError,
    problems,
  });
  const { boxesFor } = marks;
  const showOn = (name: string) => (boxesFor(name).length && expense.receipt ? () => show(name) : undefined);
  const highlight: Highlight | null =
    active && boxesFor(active).length
      ? { label: t.expenses.fields[active] ?? active, boxes: boxesFor(active) }
      : null;
  const focusProps = (name: string) => ({ onFocus: () => setActive(name) });

  const foreign = form.currency !== 'SEK';
  const amount = parseDecimal(form.amount);
  const rate = parseDecimal(form.exchange_rate);
  const amountSek = !foreign ? amount : amount && rate ? multiplyToOre(amount, rate) : null;
  const overWellness = Boolean(
    form.category?.startsWith('wellness') && wellness && amountSek && compareDecimal(amountSek, wellness.remaining) > 0,
  );
  const oneTap = editable && !expense.claim_id && !expense.travel_claim_id;

  return (
    <div class="stack">
      <BackLink href={backHref} text={expense.claim_id ? t.expenses.form.openClaim : t.expenses.back} />
      <div class="page-title">
        <PageHeading title={expense.merchant || t.expenses.form.newTitle} />
        {expense.state !== 'draft' && <StateBadge state={expense.state} />}
      </div>

      <ReadStatus readStatus={readStatus} unread={marks.unread} />
      <ExpenseNotices
        id={id}
        expense={expense}
        pending={pending}
        notice={actions.notice}
        problems={problems}
        saveError={actions.saveError}
      />

      <div class={expense.receipt ? 'expense-layout expense-layout--with-receipt' : 'expense-layout'}>
        <form class="form expense-form card" onSubmit={(event) => void actions.save(event)} noValidate>
          <h2 class="visually-hidden">{t.expenses.form.details}</h2>
          <ExpenseFields
            form={form}
            set={editor.set}
            suggest={editor.suggest}
            marks={marks}
            showOn={showOn}
            focusProps={focusProps}
            setActive={setActive}
            editable={editable}
            hasReceipt={Boolean(expense.receipt)}
            rateInfo={editor.rateInfo}
            rateFromProvider={editor.rateFromProvider.current}
            amountSek={amountSek}
            wellness={wellness}
            overWellness={overWellness}
            costCentres={costCentres}
          />

          {editable && (
            <ExpenseActions
              oneTap={oneTap}
              saving={actions.saving}
              onSubmitForAttest={() => void actions.submitForAttest()}
            />
          )}
        </form>

        {expense.receipt && <ReceiptPanel receipt={expense.receipt} highlight={highlight} reveal={reveal} />}
      </div>

      {editable && (
        <p>
          <button type="button" class="button button--danger" onClick={() => void actions.remove()}>
            {t.expenses.form.delete}
          </button>
        </p>
      )}
    </div>
  );
}
