/**
 * An item's own content in the attest view, one renderer per kind. The attest API hands over
 * the item as its own area shows it (`detail`, see backend/attest/kinds.py), typed here with
 * that area's own types:
 *
 * - expense claim (`ClaimView`): each expense with its facts, warnings and the receipt (below);
 * - time week (`WeekView`, details/time.tsx): reported against scheduled hours, time codes,
 *   overtime, absence and unsocial hours (OB), every row's hours Monday to Sunday in one table,
 *   and the days to note (holidays, sick days, locked days, leave);
 * - travel claim (`TravelClaimView`, details/travel.tsx): the trip's facts and attached expenses,
 *   the totals split into tax-free and taxable, per diem day by day and mileage leg by leg with
 *   their explanations (the same components as the employee's claim page, travel/parts.tsx);
 * - leave request (`LeaveRequestView`, details/leave.tsx): kind, dates, working days, comment,
 *   and for vacation the year's vacation days left.
 *
 * A kind without a renderer here shows "no more details" on the item page.
 */
import type { ComponentType } from 'preact';
import { useState } from 'preact/hooks';

import { useT, type Messages } from '../../i18n';
import { formatDate, formatMoney } from '../../i18n/format';
import { ReceiptViewer } from '../expenses/ReceiptViewer';
import type { ClaimView, ExpenseView } from '../expenses/model';
import { LeaveRequestDetail } from './details/leave';
import { TimeWeekDetail } from './details/time';
import { TravelClaimDetail } from './details/travel';
import type { Kind } from './model';
import { Icon } from '../../components/Icon';

export const DETAILS: Partial<Record<Kind, ComponentType<{ detail: unknown }>>> = {
  expense_claim: ExpenseClaimDetail,
  time_week: TimeWeekDetail,
  travel_claim: TravelClaimDetail,
  leave_request: LeaveRequestDetail,
};

function expenseAmount(expense: ExpenseView): string | null {
  if (!expense.amount) return null;
  const paid = formatMoney(expense.amount, expense.currency);
  return expense.currency !== 'SEK' && expense.amount_sek ? `${paid} (${formatMoney(expense.amount_sek)})` : paid;
}

function facts(t: Messages, expense: ExpenseView): Array<[string, string]> {
  const rows: Array<[string, string | null]> = [
    [t.attest.expense.date, expense.expense_date ? formatDate(expense.expense_date, 'medium') : null],
    [t.attest.expense.category, expense.category ? (t.expenses.categories[expense.category] ?? expense.category) : null],
    [t.attest.expense.amount, expenseAmount(expense)],
    [
      t.attest.expense.exchangeRate,
      expense.currency !== 'SEK' && expense.exchange_rate
        ? `${expense.exchange_rate}${expense.exchange_rate_source ? ` (${expense.exchange_rate_source})` : ''}`
        : null,
    ],
    [t.attest.expense.vat, expense.vat.map((row) => `${row.rate} %: ${formatMoney(row.amount)}`).join(', ') || null],
    [
      t.attest.expense.payment,
      expense.payment === 'company_card' ? t.expenses.form.paymentCompanyCard : t.expenses.form.paymentPrivate,
    ],
    [t.attest.expense.orgNumber, expense.org_number],
    [t.attest.expense.purpose, expense.purpose],
    [
      t.attest.expense.participants,
      expense.participants.map((p) => [p.name, p.company].filter(Boolean).join(', ')).join('; ') || null,
    ],
    [t.attest.expense.comment, expense.comment],
  ];
  return rows.filter((row): row is [string, string] => row[1] !== null && row[1] !== '');
}

/** An expense claim: each expense with its facts, warnings and (on request) the receipt, zoomable. */
function ExpenseClaimDetail({ detail }: { detail: unknown }) {
  const t = useT();
  const claim = detail as ClaimView;
  return (
    <section aria-labelledby="attest-detail-heading" class="stack">
      <h2 id="attest-detail-heading">{t.attest.expense.heading(claim.expenses.length)}</h2>
      <ul class="plain-list stack">
        {claim.expenses.map((expense) => (
          <ExpenseCard key={expense.id} expense={expense} />
        ))}
      </ul>
      <p class="claim-total-row">
        {t.attest.expense.total}: <strong>{formatMoney(claim.total_sek)}</strong>
      </p>
    </section>
  );
}

function ExpenseCard({ expense }: { expense: ExpenseView }) {
  const t = useT();
  const [showReceipt, setShowReceipt] = useState(false);
  const name = expense.merchant?.trim() || t.expenses.unnamed;
  const headingId = `attest-expense-${expense.id}`;
  return (
    <li class="card">
      <h3 id={headingId} class="claim-expense__name">
        {name}
      </h3>
      <dl class="facts facts--compact">
        {facts(t, expense).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {expense.warnings.length > 0 && (
        <ul class="warning-list">
          {expense.warnings.map((warning, index) => (
            <li key={index}>
              <Icon name="warning" />{' '}
              <span class="visually-hidden">{t.attest.inbox.warning}: </span>
              {warning.message}
            </li>
          ))}
        </ul>
      )}
      {expense.receipt ? (
        <details class="disclosure" onToggle={(event) => setShowReceipt(event.currentTarget.open)}>
          <summary>
            {t.attest.expense.showReceipt}
            <span class="visually-hidden">: {name}</span>
          </summary>
          {showReceipt && <ReceiptViewer receipt={expense.receipt} highlight={null} reveal={0} />}
        </details>
      ) : (
        <p class="muted">{t.attest.expense.noReceipt}</p>
      )}
    </li>
  );
}
