"""Tax column by age, no tax table (30 %), and the warnings payroll acts on."""

from __future__ import annotations

from datetime import date

import pytest

from backend.domain.payroll.tax import TaxTable
from backend.domain.payslip import PayslipInputs, TimeCode, compute_payslip
from tests.unit.domain.payslip.builders import D, days, employee, monthly, period, slip

BORN_1958 = date(1958, 8, 14)


def test_an_employee_born_1958_is_taxed_in_column_3() -> None:
    payslip = slip(employee(monthly(30_000), born=BORN_1958, table=32))
    assert payslip.tax_basis.column == 3
    assert payslip.tax_basis.column_derived_from_age
    assert payslip.tax == D(2469)
    assert "kolumn 3" in payslip.tax_basis.explanation_sv
    assert "född 1958" in payslip.tax_basis.explanation_sv


def test_an_employee_born_1958_pays_only_the_old_age_pension_fee() -> None:
    payslip = slip(employee(monthly(30_000), born=BORN_1958))
    assert payslip.employer_contributions.total == D("3063.00")  # 30,000 x 10.21 %


def test_an_employee_born_1960_is_taxed_in_column_1() -> None:
    payslip = slip(employee(monthly(30_000), born=date(1960, 1, 1), table=32))
    assert (payslip.tax_basis.column, payslip.tax) == (1, D(5703))


def test_a_recorded_column_wins_over_age() -> None:
    payslip = slip(employee(monthly(30_000), born=BORN_1958, table=32, column=1))
    assert (payslip.tax_basis.column, payslip.tax_basis.column_derived_from_age, payslip.tax) == (1, False, D(5703))


def test_without_a_tax_table_30_percent_is_withheld_and_flagged() -> None:
    payslip = slip(employee(monthly(42_000), table=None))
    assert payslip.tax == D(12_600)
    assert payslip.tax_basis.table is None
    assert "tax_table_missing" in payslip.warning_codes
    assert "30 % × 42 000 kr = 12 600 kr" in payslip.tax_basis.explanation_sv


def test_30_percent_without_a_tax_table_is_rounded_down_to_whole_kronor() -> None:
    assert slip(employee(monthly("30000.55"), table=None)).tax == D(9000)


def test_a_table_number_that_does_not_exist_withholds_30_percent_and_is_flagged(official_table: TaxTable) -> None:
    inputs = PayslipInputs(employee=employee(monthly(42_000), table=55), period=period(), as_of=date(2026, 4, 1))
    payslip = compute_payslip(inputs, official_table=official_table)  # the official file has tables 29-42
    assert payslip.tax == D(12_600)
    assert "tax_table_unknown" in payslip.warning_codes


def test_negative_net_pay_is_possible_and_flagged() -> None:
    # Employment ended 31 March; March's unpaid leave is deducted on April's payslip (paid in arrears)
    emp = employee(monthly(30_000), end=date(2026, 3, 31))
    payslip = slip(emp, time=days(date(2026, 3, 23), 5, TimeCode.UNPAID_LEAVE))
    assert payslip.gross_pay == D("-6923.08")
    assert payslip.tax == 0
    assert payslip.net_pay == D("-6923.08")
    assert "net_pay_negative" in payslip.warning_codes
    assert payslip.employer_contributions.total == 0
    assert "contribution_base_negative" in payslip.warning_codes


@pytest.mark.parametrize(
    ("previous", "salary", "flagged"),
    [
        (30_000, 42_000, True),  # +12,000 = 40 %
        (40_500, 42_000, False),  # +1,500: under 2,000 kr
        (10_000, 12_100, True),  # +2,100: over 2,000 kr and over 20 %
        (50_000, 52_100, False),  # +2,100: over 2,000 kr but only 4.2 %
        (42_000, 30_000, True),  # decreases count too
    ],
)
def test_an_unusual_change_against_last_months_gross_pay_is_flagged(previous: int, salary: int, flagged: bool) -> None:
    payslip = slip(employee(monthly(salary)), previous_gross_pay=D(previous))
    assert ("gross_pay_unusual_change" in payslip.warning_codes) is flagged


def test_an_ordinary_payslip_has_no_warnings() -> None:
    assert slip(employee(monthly(42_000)), previous_gross_pay=D(42_000)).warnings == ()
