"""What a finalised payslip paid, stored beside it and read back, is what retro compares against.

Hours are kept line by line: two payslips paying 1,25 h each at 183,33 kr paid 229,16 kr twice
(458,32 kr), while 2,5 h at once is 458,33 kr. Repricing per line keeps an unchanged month at no retro.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

from backend.db.models import Payslip as StoredPayslip
from backend.domain.payslip import Payslip, TimeCode, TimeRow
from backend.payslips.snapshot import salary_paid
from backend.payslips.sources import paid_salaries
from tests.unit.domain.payslip.builders import D, employee, hourly, period, row, slip

WAGE = "183.33"
EARLY, LATE = date(2026, 8, 20), date(2026, 9, 20)  # the second half of August was attested after September's cut-off


def _august(approved_on: date, *days: int) -> list[TimeRow]:
    return [
        r
        for day in days
        for r in (
            row(date(2026, 8, day), TimeCode.WORK, "1.25", approved_on=approved_on),
            row(date(2026, 8, day + 5), TimeCode.OB_WEEKEND, "1.25", approved_on=approved_on),
        )
    ]


def _stored(payslip: Payslip) -> StoredPayslip:
    """The row a pay run stores (only ``salary_paid`` and ``created_at`` matter here)."""
    zero = Decimal(0)
    return StoredPayslip(
        organisation_id=uuid4(),
        pay_run_id=uuid4(),
        employee_id=uuid4(),
        period=payslip.period.label,
        pay_date=payslip.period.pay_date,
        gross_pay=zero,
        taxable_pay=zero,
        tax=zero,
        tax_free=zero,
        net_pay=zero,
        employer_contributions=zero,
        salary_paid=salary_paid(payslip),
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def _paid_for_august() -> list[StoredPayslip]:
    emp = employee(hourly(WAGE))
    september = slip(emp, period(2026, 9), time=_august(EARLY, 3))
    october = slip(emp, period(2026, 10), time=_august(LATE, 10))
    assert [line.amount for line in september.lines_with("hourly_pay") + october.lines_with("hourly_pay")] == [
        D("229.16"),
        D("229.16"),
    ]
    return [_stored(september), _stored(october)]


def test_august_paid_on_two_payslips_is_read_back_line_by_line() -> None:
    (august,) = paid_salaries(_paid_for_august())
    assert (august.year, august.month, august.hours, august.hour_lines) == (2026, 8, D("2.5"), (D("1.25"), D("1.25")))
    assert august.paid_for_hours == D("458.32")
    assert [(item.code, item.hours) for item in august.pay_items] == [(TimeCode.OB_WEEKEND, D("1.25"))] * 2


def test_a_month_paid_on_two_payslips_and_not_changed_since_gets_no_retro() -> None:
    november = slip(employee(hourly(WAGE)), period(2026, 11), paid_salaries=paid_salaries(_paid_for_august()))
    assert [line for line in november.lines if line.code.endswith("_retro")] == []


def test_a_raise_dated_back_pays_the_difference_on_each_line_as_paid() -> None:
    raised = employee(hourly(WAGE), hourly(190, valid_from=date(2026, 8, 1), recorded_on=date(2026, 11, 2)))
    november = slip(raised, period(2026, 11), paid_salaries=paid_salaries(_paid_for_august()))
    retro = {line.code: line.amount for line in november.lines if line.code.endswith("_retro")}
    # 2 x 1,25 h x 190 kr = 475 kr less 458,32 kr paid; weekend OB from 190 x 40 x 52 / 12 / 300 a hour
    assert retro == {"hourly_retro": D("16.68"), "pay_item_retro": D("9.62")}


def test_retro_already_paid_is_counted_as_paid() -> None:
    raised = employee(hourly(WAGE), hourly(190, valid_from=date(2026, 8, 1), recorded_on=date(2026, 11, 2)))
    stored = _paid_for_august()
    november = slip(raised, period(2026, 11), paid_salaries=paid_salaries(stored))
    december = slip(raised, period(2026, 12), paid_salaries=paid_salaries([*stored, _stored(november)]))
    assert [line for line in december.lines if line.code.endswith("_retro")] == []
    assert Decimal(0) not in [line.amount for line in november.lines if line.code.endswith("_retro")]
