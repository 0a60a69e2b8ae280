"""The worked examples of rates-2026.md and the tax spot values of tax-rules-2026.md, on a payslip."""

from __future__ import annotations

from datetime import date

import pytest

from backend.domain.payslip import OrganisationSettings, TimeCode
from tests.unit.domain.payslip.builders import D, days, employee, monthly, period, row, slip, total

MARCH_2 = date(2026, 3, 2)  # a Monday; March's items are on April's payslip (paid one month in arrears)


def test_karensavdrag_on_30000_a_month_is_1107_69() -> None:
    payslip = slip(employee(monthly(30_000)), time=days(MARCH_2, 3, TimeCode.SICK))
    assert total(payslip, "karens") == D("-1107.69")
    (karens,) = payslip.lines_with("karens")
    assert "30 000 kr × 12 / 52 × 0,2 × 0,8 = 1 107,69 kr" in karens.explanation_sv
    assert "30,000 kr × 12 / 52 × 0.2 × 0.8 = 1,107.69 kr" in karens.explanation_en


def test_karensavdrag_on_42000_is_explained_with_its_figures() -> None:
    payslip = slip(employee(monthly(42_000)), time=days(MARCH_2, 1, TimeCode.SICK))
    (karens,) = payslip.lines_with("karens")
    assert karens.amount == D("-1550.77")
    assert "42 000 kr × 12 / 52 × 0,2 × 0,8 = 1 550,77 kr" in karens.explanation_sv


def test_vacation_supplement_35000_for_5_days_at_the_legal_minimum_is_752_50() -> None:
    municipal = OrganisationSettings(agreement_profile="municipal")  # sets no own rate: the legal 0.43 %
    payslip = slip(employee(monthly(35_000)), settings=municipal, time=days(MARCH_2, 5, TimeCode.VACATION))
    (line,) = payslip.lines_with("vacation_supplement")
    assert line.amount == D("752.50")
    assert line.quantity == 5
    assert "35 000 kr × 0,43 % × 5 dagar = 752,50 kr" in line.explanation_sv


def test_vacation_supplement_35000_for_5_days_under_white_collar_agreements_is_1400() -> None:
    payslip = slip(employee(monthly(35_000)), time=days(MARCH_2, 5, TimeCode.VACATION))
    assert total(payslip, "vacation_supplement") == D("1400.00")


def test_vacation_keeps_the_monthly_salary_same_pay_rule() -> None:
    payslip = slip(employee(monthly(35_000)), time=days(MARCH_2, 5, TimeCode.VACATION))
    assert total(payslip, "salary") == D("35000.00")
    assert payslip.gross_pay == D("36400.00")
    assert "sammalöneregeln" in payslip.lines_with("vacation_supplement")[0].explanation_sv


def test_employer_contributions_on_40000_are_12568() -> None:
    payslip = slip(employee(monthly(40_000)))
    assert payslip.employer_contributions.total == D("12568.00")


def test_born_2004_paid_30000_in_may_2026_gives_contributions_of_6773_50() -> None:
    payslip = slip(employee(monthly(30_000), born=date(2004, 6, 1)), period(2026, 5))
    contributions = payslip.employer_contributions
    assert contributions.total == D("6773.50")
    assert [(p.base, p.amount) for p in contributions.parts] == [
        (D(25_000), D("5202.50")),
        (D(5_000), D("1571.00")),
    ]


def test_born_2004_paid_in_march_2026_before_the_youth_reduction_pays_the_standard_rate() -> None:
    payslip = slip(employee(monthly(30_000), born=date(2004, 6, 1)), period(2026, 3))
    assert payslip.employer_contributions.total == D("9426.00")


@pytest.mark.parametrize(
    ("code", "one_hour_on_42000"),
    [
        (TimeCode.SIMPLE_OVERTIME, "446.81"),  # monthly / 94
        (TimeCode.QUALIFIED_OVERTIME, "583.33"),  # monthly / 72
        (TimeCode.MERTID, "295.77"),  # monthly / 142
        (TimeCode.OB_WEEKDAY_EVENING, "70.00"),  # monthly / 600
        (TimeCode.OB_NIGHT, "105.00"),  # monthly / 400
        (TimeCode.OB_WEEKEND, "140.00"),  # monthly / 300
        (TimeCode.OB_MAJOR_HOLIDAY, "280.00"),  # monthly / 150
    ],
)
def test_white_collar_overtime_and_ob_per_hour(code: TimeCode, one_hour_on_42000: str) -> None:
    payslip = slip(employee(monthly(42_000)), time=[row(date(2026, 3, 10), code, 1)])
    (line,) = payslip.lines_with(code.value)
    assert line.amount == D(one_hour_on_42000)
    assert line.taxable
    assert line.employer_contributions


def test_white_collar_overtime_explains_the_divisor() -> None:
    payslip = slip(employee(monthly(42_000)), time=[row(date(2026, 3, 10), TimeCode.SIMPLE_OVERTIME, 4)])
    (line,) = payslip.lines_with("simple_overtime")
    assert line.amount == D("1787.23")
    assert "4 tim × 42 000 kr / 94 = 1 787,23 kr" in line.explanation_sv


@pytest.mark.parametrize(
    ("code", "one_hour"), [(TimeCode.SIMPLE_OVERTIME, "311.54"), (TimeCode.QUALIFIED_OVERTIME, "415.39")]
)
def test_municipal_overtime_is_180_and_240_percent_of_the_hourly_pay(code: TimeCode, one_hour: str) -> None:
    municipal = OrganisationSettings(agreement_profile="municipal")
    payslip = slip(employee(monthly(30_000)), settings=municipal, time=[row(date(2026, 3, 10), code, 1)])
    # hourly pay 30,000 x 12 / (52 x 40) = 173.08; x 180 % = 311.54, x 240 % = 415.39
    assert total(payslip, code.value) == D(one_hour)


def test_hourly_pay_for_deductions_with_40_hour_weeks_is_monthly_over_173_33() -> None:
    payslip = slip(employee(monthly(30_000)), time=[row(date(2026, 3, 10), TimeCode.UNPAID_LEAVE, 8)])
    (line,) = payslip.lines_with("unpaid_leave_deduction")
    assert line.rate == D("173.08")
    assert line.amount == D("-1384.62")  # 30,000 x 12 / (52 x 40) x 8, rounded once


@pytest.mark.parametrize(
    ("table", "salary", "tax"),
    [
        (30, 30_000, 5_352),
        (32, 30_000, 5_703),
        (33, 35_000, 7_134),
        (34, 25_000, 4_760),
        (32, 42_000, 8_791),
        (33, 55_000, 13_352),
        (34, 18_000, 2_990),
    ],
)
def test_tax_spot_values_of_2026_column_1(table: int, salary: int, tax: int) -> None:
    assert slip(employee(monthly(salary), table=table)).tax == D(tax)


def test_table_32_column_3_on_30000_is_2469() -> None:
    assert slip(employee(monthly(30_000), table=32, column=3)).tax == D(2469)


def test_above_80000_the_table_percentage_applies() -> None:
    payslip = slip(employee(monthly(80_001), table=32))
    assert payslip.tax == D(25_600)  # 32 % of 80,001 = 25,600.32, whole kronor
    assert "32 % × 80 001 kr = 25 600 kr" in payslip.tax_basis.explanation_sv
