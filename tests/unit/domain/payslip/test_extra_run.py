"""An extra pay run pays what the regular run did not, and taxes the month as one payment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.payslip import compute_payslip
from backend.domain.payslip.inputs import (
    ApprovedExpense,
    ApprovedTravelClaim,
    Employee,
    EmploymentTerms,
    PayslipInputs,
    PayslipPeriod,
    PayType,
)

ANNA = Employee(
    "anna",
    date(1990, 6, 15),
    date(2020, 1, 1),
    (EmploymentTerms(date(2020, 1, 1), PayType.MONTHLY, Decimal(40), date(2020, 1, 1), monthly_salary=Decimal(42000)),),
    tax_table=32,
)
DECEMBER = PayslipPeriod(2026, 12, date(2026, 12, 23), date(2026, 12, 8))
# An extra run takes everything approved up to the day it is made.
DECEMBER_EXTRA = PayslipPeriod(2026, 12, date(2026, 12, 18), date(2026, 12, 15))


def test_an_extra_run_pays_late_claims_but_not_the_salary_again() -> None:
    slip = compute_payslip(
        PayslipInputs(
            ANNA,
            DECEMBER_EXTRA,
            as_of=date(2026, 12, 15),
            expenses=(ApprovedExpense("e1", "c1", Decimal("245.00"), approved_on=date(2026, 12, 12)),),
            extra_run=True,
        )
    )

    assert [line.code for line in slip.lines if line.amount] == ["expense"]
    assert slip.gross_pay == 0
    assert slip.net_pay == Decimal("245.00")


def test_taxable_pay_in_an_extra_run_is_taxed_on_the_months_total() -> None:
    regular = compute_payslip(PayslipInputs(ANNA, DECEMBER, as_of=date(2026, 12, 8)))
    extra = compute_payslip(
        PayslipInputs(
            ANNA,
            DECEMBER_EXTRA,
            as_of=date(2026, 12, 15),
            travel_claims=(ApprovedTravelClaim("t1", date(2026, 12, 12), per_diem_taxable=Decimal("1000.00")),),
            extra_run=True,
            earlier_taxable_this_month=regular.taxable_pay,
            earlier_tax_this_month=regular.tax,
            earlier_pay_this_month=regular.gross_pay,
        )
    )
    together = compute_payslip(
        PayslipInputs(
            ANNA,
            DECEMBER,
            as_of=date(2026, 12, 8),
            travel_claims=(ApprovedTravelClaim("t1", date(2026, 12, 1), per_diem_taxable=Decimal("1000.00")),),
        )
    )

    assert extra.gross_pay == Decimal("1000.00")
    assert regular.tax + extra.tax == together.tax
