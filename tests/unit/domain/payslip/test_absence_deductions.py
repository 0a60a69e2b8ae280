"""VAB, parental leave, unpaid leave and vacation for monthly and hourly staff."""

from __future__ import annotations

from datetime import date

import pytest

from backend.domain.payslip import OrganisationSettings, TimeCode
from tests.unit.domain.payslip.builders import D, days, employee, hourly, monthly, row, slip, total

MARCH_10 = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("code", "line_code", "mention"),
    [
        (TimeCode.VAB, "vab_deduction", "Försäkringskassan"),
        (TimeCode.PARENTAL_LEAVE, "parental_leave_deduction", "Försäkringskassan"),
        (TimeCode.UNPAID_LEAVE, "unpaid_leave_deduction", "utan lön"),
    ],
)
def test_leave_is_deducted_at_the_hourly_pay_for_deductions(code: TimeCode, line_code: str, mention: str) -> None:
    payslip = slip(employee(monthly(42_000)), time=[row(MARCH_10, code, 8, source="leave-1")])
    (line,) = payslip.lines_with(line_code)
    assert line.amount == D("-1938.46")  # 42,000 x 12 / (52 x 40) x 8
    assert line.source_ids == ("leave-1",)
    assert "42 000 kr × 12 / (52 × 40 tim) × 8 tim = 1 938,46 kr" in line.explanation_sv
    assert mention in line.explanation_sv


def test_a_part_timer_is_deducted_by_their_own_weekly_hours() -> None:
    emp = employee(monthly(24_000, weekly_hours="30", rate="75"))
    payslip = slip(emp, time=[row(MARCH_10, TimeCode.VAB, 6)])
    assert total(payslip, "vab_deduction") == D("-1107.69")  # 24,000 x 12 / (52 x 30) x 6


def test_the_employers_own_vacation_supplement_rate_wins() -> None:
    settings = OrganisationSettings(vacation_supplement_rate=D("0.01"))
    payslip = slip(employee(monthly(35_000)), settings=settings, time=days(date(2026, 3, 2), 5, TimeCode.VACATION))
    assert total(payslip, "vacation_supplement") == D("1750.00")


def test_a_vacation_supplement_rate_below_the_legal_minimum_is_raised_to_it_and_flagged() -> None:
    settings = OrganisationSettings(vacation_supplement_rate=D("0.002"))
    payslip = slip(employee(monthly(35_000)), settings=settings, time=days(date(2026, 3, 2), 5, TimeCode.VACATION))
    assert total(payslip, "vacation_supplement") == D("752.50")
    assert "vacation_supplement_below_minimum" in payslip.warning_codes


def test_hourly_staff_are_not_paid_for_leave_days_their_vacation_pay_comes_with_the_hours() -> None:
    time = [row(MARCH_10, TimeCode.VAB, 8), row(date(2026, 3, 11), TimeCode.VACATION, 8, source="leave-2")]
    payslip = slip(employee(hourly(185)), time=time)
    assert payslip.gross_pay == 0
    assert payslip.lines_with("vacation_pay") == ()
    assert payslip.warnings == ()
