"""An approved claim as one bookkeeping voucher (verifikation), balanced to the öre.

Expense claim and travel claim alike: a cost row per account and cost centre/project, net of
VAT; one input VAT row per rate; per diem and mileage on their accounts with the taxable parts
on their own; then the credits: what the employee is owed (private payments and allowances) and
what is owed for company-card purchases. Debit is positive, credit negative; the rows sum to 0.

A wellness allowance is booked gross with no VAT row: the receipt is in the employee's name, so
the employer cannot deduct its VAT. Where the payslip pays less than the receipt
(``ExpenseFact.reimbursed``), the cost and the debt are what is paid. Time weeks and leave
requests produce no voucher (salary is booked from the payroll system).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from backend.domain.expenses import CATEGORIES, WELLNESS_CATEGORIES
from backend.domain.exports.chart import Chart
from backend.domain.exports.model import Dimensions, ExpenseFact, ItemFacts, TravelFact, Voucher, VoucherRow

PRIVATE = "private"
DOMESTIC = "SE"
_ZERO = Decimal(0)
_NO_DIMENSIONS = Dimensions()


class _Rows:
    """Rows summed by (account, text, dimensions), kept in the order they first appear."""

    def __init__(self) -> None:
        self._amounts: dict[tuple[str, str, Dimensions], Decimal] = {}

    def add(self, account: str, amount: Decimal, text: str, dimensions: Dimensions = _NO_DIMENSIONS) -> None:
        key = (account, text, dimensions)
        self._amounts[key] = self._amounts.get(key, _ZERO) + amount

    def rows(self) -> list[VoucherRow]:
        return [VoucherRow(a, amount, text, dims) for (a, text, dims), amount in self._amounts.items() if amount]


def vouchers(item: ItemFacts, chart: Chart) -> list[Voucher]:
    """The claim's voucher (none for time weeks and leave requests, or a claim of nothing)."""
    if item.travel is None and not item.expenses:
        return []
    costs, vat, credits = _Rows(), _Rows(), _Rows()
    if item.travel is not None:
        _travel(item.travel, chart, costs, credits)
    for expense in item.expenses:
        _expense(expense, chart, costs, vat, credits)
    rows = costs.rows() + sorted(vat.rows(), key=lambda r: r.text) + credits.rows()
    if not rows:
        return []
    assert sum((r.amount for r in rows), _ZERO) == 0, "a voucher balances by construction"
    return [Voucher(item.item_id, item.approved_on, f"{item.title}, {item.person.name}", tuple(rows))]


def _vat_text(rate: Decimal) -> str:
    return f"Ingående moms {format(rate.normalize(), 'f')} %"


def _expense(expense: ExpenseFact, chart: Chart, costs: _Rows, vat: _Rows, credits: _Rows) -> None:
    category = expense.category if expense.category in CATEGORIES else "other"
    paid = expense.amount_sek if expense.reimbursed is None else expense.reimbursed
    vat_rows: Iterable[tuple[Decimal, Decimal]] = () if category in WELLNESS_CATEGORIES else expense.vat
    net = paid
    for rate, amount in vat_rows:
        vat.add(chart.vat_account(rate), amount, _vat_text(rate))
        net -= amount
    costs.add(chart.category_account(category), net, CATEGORIES[category][0], expense.dimensions)
    if expense.payment == PRIVATE:
        credits.add(chart.role("skuld_anstalld"), -paid, "Att betala till den anställda")
    else:
        credits.add(chart.role("skuld_foretagskort"), -paid, "Företagskort")


def _travel(trip: TravelFact, chart: Chart, costs: _Rows, credits: _Rows) -> None:
    abroad = trip.country_code.strip().upper() != DOMESTIC
    per_diem = "traktamente_utrikes" if abroad else "traktamente"
    parts = (
        (f"{per_diem}_skattefritt", trip.per_diem_tax_free),
        (f"{per_diem}_skattepliktigt", trip.per_diem_taxable),
        ("milersattning_skattefri", trip.mileage_tax_free),
        ("milersattning_skattepliktig", trip.mileage_taxable),
    )
    for role, amount in parts:
        account = chart.role(role)
        costs.add(account, amount, chart.name(account), trip.dimensions)
        credits.add(chart.role("skuld_anstalld"), -amount, "Att betala till den anställda")
