"""A plain monthly salary: gross = salary, tax from the table, net = gross - tax; part months; year to date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.domain.errors import InvalidValue
from backend.domain.payroll.tax import TaxTable
from backend.domain.payslip import LineGroup, PayslipInputs, YearToDate, compute_payslip
from tests.unit.domain.payslip.builders import D, employee, monthly, period, slip


def test_plain_monthly_salary_is_gross_pay_taxed_by_the_table() -> None:
    payslip = slip(employee(monthly(42_000), table=32))
    assert payslip.gross_pay == D("42000.00")
    assert payslip.taxable_pay == D("42000.00")
    assert payslip.tax == D(8791)  # Skatteverket 2026, table 32, column 1
    assert payslip.net_pay == D("33209.00")
    assert payslip.tax_free == 0


def test_plain_salary_has_one_salary_line_and_one_tax_line() -> None:
    payslip = slip(employee(monthly(42_000)))
    (salary,) = payslip.lines_in(LineGroup.SALARY)
    (tax,) = payslip.lines_in(LineGroup.TAX)
    assert (salary.code, salary.amount, salary.quantity, salary.unit) == ("salary", D("42000.00"), D(1), "month")
    assert salary.taxable
    assert salary.employer_contributions
    assert tax.amount == D(-8791)
    assert "Skattetabell 32, kolumn 1" in tax.explanation_sv
    assert "41 801 kr–42 000 kr" in tax.explanation_sv
    assert "8 791 kr" in tax.explanation_sv


def test_the_imported_official_table_gives_the_same_tax(official_table: TaxTable) -> None:
    inputs = PayslipInputs(employee=employee(monthly(42_000)), period=period(), as_of=date(2026, 4, 1))
    payslip = compute_payslip(inputs, official_table=official_table)
    assert payslip.tax == D(8791)
    assert "Skatteverkets tabellfil" in payslip.tax_basis.explanation_sv


def test_employer_contributions_are_computed_on_the_gross_pay() -> None:
    payslip = slip(employee(monthly(42_000)))
    assert payslip.employer_contributions.total == D("13196.40")  # 42,000 x 31.42 %
    assert payslip.employer_cost == D("55196.40")


def test_employment_starting_mid_month_is_paid_by_calendar_days() -> None:
    payslip = slip(employee(monthly(42_000), start=date(2026, 4, 16)))
    (salary,) = payslip.lines_with("salary")
    assert salary.amount == D("21000.00")  # 42,000 x 15 / 30
    assert salary.quantity == 15
    assert "42 000 kr × 15 / 30 dagar = 21 000 kr" in salary.explanation_sv


def test_a_salary_change_mid_month_splits_the_month_by_calendar_days() -> None:
    terms = (monthly(40_000), monthly(42_000, valid_from=date(2026, 4, 11), recorded_on=date(2026, 3, 20)))
    payslip = slip(employee(*terms))
    assert [line.amount for line in payslip.lines_with("salary")] == [D("13333.33"), D("28000.00")]


def test_no_salary_after_the_employment_ended() -> None:
    payslip = slip(employee(monthly(42_000), end=date(2026, 3, 31)))
    assert payslip.lines_with("salary") == ()
    assert payslip.gross_pay == 0
    assert payslip.tax == 0


def test_a_correction_recorded_later_for_the_same_date_wins() -> None:
    first = monthly(42_000, valid_from=date(2026, 1, 1), recorded_on=date(2025, 12, 1))
    corrected = monthly(43_000, valid_from=date(2026, 1, 1), recorded_on=date(2025, 12, 15))
    payslip = slip(employee(corrected, first))
    assert payslip.gross_pay == D("43000.00")


def test_year_to_date_adds_this_payslip_to_the_earlier_totals() -> None:
    earlier = YearToDate(
        year=2026,
        gross_pay=D("126000.00"),
        taxable_pay=D("126000.00"),
        tax=D(26373),
        net_pay=D("99627.00"),
        employer_contributions=D("39589.20"),
    )
    payslip = slip(employee(monthly(42_000)), year_to_date=earlier)
    ytd = payslip.year_to_date
    assert (ytd.gross_pay, ytd.tax, ytd.net_pay) == (D("168000.00"), D(35164), D("132836.00"))
    assert ytd.employer_contributions == D("52785.60")


def test_year_to_date_of_another_year_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        slip(year_to_date=YearToDate(year=2025))
    assert caught.value.code == "payslip.year_to_date_wrong_year"


def test_the_payslip_is_the_same_every_time_it_is_computed() -> None:
    assert slip() == slip()


def test_gross_pay_is_exact_to_the_ore() -> None:
    payslip = slip(employee(monthly("41999.99")))
    assert payslip.gross_pay == Decimal("41999.99")
    assert payslip.gross_pay.as_tuple().exponent == -2


def test_terms_recorded_after_the_computation_date_are_not_yet_known() -> None:
    raise_in_april = monthly(45_000, valid_from=date(2026, 4, 1), recorded_on=date(2026, 4, 20))
    before = slip(employee(monthly(42_000), raise_in_april), as_of=date(2026, 4, 8))
    after = slip(employee(monthly(42_000), raise_in_april), as_of=date(2026, 4, 21))
    assert (before.gross_pay, after.gross_pay) == (D("42000.00"), D("45000.00"))


def test_days_without_employment_terms_get_no_salary_and_are_flagged() -> None:
    late_terms = monthly(42_000, valid_from=date(2026, 4, 16), recorded_on=date(2026, 4, 1))
    payslip = slip(employee(late_terms))
    assert payslip.gross_pay == D("21000.00")
    assert "employment_terms_missing" in payslip.warning_codes
