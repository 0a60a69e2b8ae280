"""Retroactive pay: a salary change dated in an already paid month pays the difference on the next payslip."""

from __future__ import annotations

from datetime import date

from backend.domain.payslip import EmploymentTerms, PaidSalary
from tests.unit.domain.payslip.builders import D, employee, hourly, monthly, period, slip, total

MAY = period(2026, 5)
RECORDED = date(2026, 5, 6)


def _raised(valid_from: date, salary: int = 42_000) -> tuple[EmploymentTerms, ...]:
    return (monthly(40_000), monthly(salary, valid_from=valid_from, recorded_on=RECORDED))


def _paid(*months: int, salary: int = 40_000) -> list[PaidSalary]:
    return [PaidSalary(2026, m, salary=D(salary)) for m in months]


def test_a_raise_recorded_in_may_dated_1_march_pays_march_and_april_on_mays_payslip() -> None:
    emp = employee(*_raised(date(2026, 3, 1)))
    payslip = slip(emp, MAY, paid_salaries=_paid(1, 2, 3, 4))
    retro = payslip.lines_with("salary_retro")
    assert [(line.text_sv, line.amount) for line in retro] == [
        ("Retroaktiv lön 2026-03", D("2000.00")),
        ("Retroaktiv lön 2026-04", D("2000.00")),
    ]
    assert total(payslip, "salary") == D("42000.00")
    assert payslip.gross_pay == D("46000.00")


def test_retro_lines_are_taxable_pay_and_explain_old_and_new_salary() -> None:
    emp = employee(*_raised(date(2026, 3, 1)))
    (march, _april) = slip(emp, MAY, paid_salaries=_paid(3, 4)).lines_with("salary_retro")
    assert march.taxable
    assert march.employer_contributions
    assert march.work_period == "2026-03"
    assert "42 000 kr från 2026-03-01, registrerad 2026-05-06" in march.explanation_sv
    assert "utbetalt: 40 000 kr; skillnad 2 000 kr" in march.explanation_sv


def test_retro_lines_sum_exactly_to_the_difference_for_a_raise_mid_month() -> None:
    emp = employee(*_raised(date(2026, 3, 16), 42_345))
    retro = slip(emp, MAY, paid_salaries=_paid(3, 4)).lines_with("salary_retro")
    # March: 40,000 x 15/31 + 42,345 x 16/31 = 19,354.84 + 21,855.48; April: 2,345
    assert [line.amount for line in retro] == [D("1210.32"), D("2345.00")]
    assert sum(line.amount for line in retro) == D("19354.84") + D("21855.48") + D(42_345) - D(80_000)


def test_no_retro_before_the_raise_is_recorded() -> None:
    emp = employee(*_raised(date(2026, 3, 1)))
    payslip = slip(emp, MAY, as_of=date(2026, 5, 5), paid_salaries=_paid(3, 4))
    assert payslip.lines_with("salary_retro") == ()
    assert payslip.gross_pay == D("40000.00")


def test_no_retro_once_the_new_salary_has_been_paid() -> None:
    emp = employee(*_raised(date(2026, 3, 1)))
    payslip = slip(emp, MAY, paid_salaries=_paid(3, 4, salary=42_000))
    assert payslip.lines_with("salary_retro") == ()


def test_a_lowered_salary_dated_back_gives_negative_retro_lines() -> None:
    emp = employee(monthly(42_000), monthly(41_000, valid_from=date(2026, 4, 1), recorded_on=RECORDED))
    payslip = slip(emp, MAY, paid_salaries=_paid(4, salary=42_000))
    assert [line.amount for line in payslip.lines_with("salary_retro")] == [D("-1000.00")]


def test_hourly_staff_get_the_new_wage_on_the_hours_already_paid() -> None:
    emp = employee(hourly(180), hourly(190, valid_from=date(2026, 3, 1), recorded_on=RECORDED))
    paid = [PaidSalary(2026, 3, hours=D(160), hourly_wage=D(180))]
    (retro,) = slip(emp, MAY, paid_salaries=paid).lines_with("salary_retro")
    assert retro.amount == D("1600.00")
    assert "160 tim × (190 kr − 180 kr) = 1 600 kr" in retro.explanation_sv


def test_an_hourly_wage_changed_within_a_paid_month_is_left_to_payroll() -> None:
    emp = employee(hourly(180), hourly(190, valid_from=date(2026, 3, 15), recorded_on=RECORDED))
    paid = [PaidSalary(2026, 3, hours=D(160), hourly_wage=D(180))]
    payslip = slip(emp, MAY, paid_salaries=paid)
    assert payslip.lines_with("salary_retro") == ()
    assert "retro_hourly_manual" in payslip.warning_codes
