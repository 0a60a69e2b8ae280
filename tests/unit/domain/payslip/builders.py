"""Small builders for payslip specifications: an ordinary employee, a period, approved rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from backend.domain.payslip import (
    Employee,
    EmploymentTerms,
    Payslip,
    PayslipInputs,
    PayslipPeriod,
    PayType,
    TimeCode,
    TimeRow,
    compute_payslip,
)

D = Decimal
HIRED = date(2020, 1, 1)


def monthly(
    salary: str | int | Decimal,
    *,
    valid_from: date = HIRED,
    recorded_on: date | None = None,
    weekly_hours: str = "40",
    rate: str = "100",
) -> EmploymentTerms:
    return EmploymentTerms(
        valid_from=valid_from,
        pay_type=PayType.MONTHLY,
        weekly_hours=D(weekly_hours),
        recorded_on=recorded_on or valid_from,
        monthly_salary=D(salary),
        employment_rate_percent=D(rate),
    )


def hourly(
    wage: str | int, *, valid_from: date = HIRED, recorded_on: date | None = None, weekly_hours: str = "40"
) -> EmploymentTerms:
    return EmploymentTerms(
        valid_from=valid_from,
        pay_type=PayType.HOURLY,
        weekly_hours=D(weekly_hours),
        recorded_on=recorded_on or valid_from,
        hourly_wage=D(wage),
    )


def employee(
    *terms: EmploymentTerms,
    born: date = date(1985, 5, 1),
    table: int | None = 32,
    column: int | None = None,
    start: date = HIRED,
    end: date | None = None,
) -> Employee:
    return Employee(
        employee_id="E1",
        birth_date=born,
        employment_start=start,
        employment_end=end,
        terms=terms or (monthly(42_000),),
        tax_table=table,
        tax_column=column,
    )


def period(year: int = 2026, month: int = 4, *, cut_off_day: int = 8) -> PayslipPeriod:
    return PayslipPeriod(year, month, pay_date=date(year, month, 25), cut_off=date(year, month, cut_off_day))


def row(
    day: date,
    code: TimeCode,
    hours: str | int | Decimal = 8,
    *,
    source: str = "week",
    approved_on: date | None = None,
) -> TimeRow:
    return TimeRow(day=day, code=code, hours=D(hours), source_id=source, approved_on=approved_on or day)


def days(first: date, count: int, code: TimeCode, hours: str | int = 8, *, source: str = "week") -> list[TimeRow]:
    """Rows on ``count`` weekdays from ``first`` (weekends skipped, as a time report has them)."""
    rows: list[TimeRow] = []
    day = first
    while len(rows) < count:
        if day.weekday() < 5:
            rows.append(row(day, code, hours, source=source))
        day += timedelta(days=1)
    return rows


def slip(
    emp: Employee | None = None, pay: PayslipPeriod | None = None, *, as_of: date | None = None, **kwargs: Any
) -> Payslip:
    pay = pay or period()
    kwargs.setdefault("time", ())
    kwargs["time"] = tuple(kwargs["time"])
    for key in ("expenses", "travel_claims", "paid_salaries", "earlier_sick_spells", "pending"):
        if key in kwargs:
            kwargs[key] = tuple(kwargs[key])
    inputs = PayslipInputs(employee=emp or employee(), period=pay, as_of=as_of or pay.cut_off, **kwargs)
    payslip = compute_payslip(inputs)
    # Every specification also checks the overview's way of computing: the same payslip without explanations.
    assert without_explanations(compute_payslip(inputs, explain=False)) == without_explanations(payslip)
    return payslip


def without_explanations(payslip: Payslip) -> Payslip:
    """``payslip`` with its explanation texts emptied: what ``compute_payslip(..., explain=False)`` may leave out."""
    contributions = payslip.employer_contributions
    return replace(
        payslip,
        lines=tuple(replace(line, explanation_sv="", explanation_en="") for line in payslip.lines),
        tax_basis=replace(payslip.tax_basis, explanation_sv="", explanation_en=""),
        employer_contributions=replace(
            contributions,
            parts=tuple(replace(part, explanation_sv="", explanation_en="") for part in contributions.parts),
        ),
        pending=tuple(replace(item, explanation_sv="", explanation_en="") for item in payslip.pending),
    )


def amounts(payslip: Payslip, code: str) -> list[Decimal]:
    return [line.amount for line in payslip.lines_with(code)]


def total(payslip: Payslip, code: str) -> Decimal:
    return sum(amounts(payslip, code), Decimal(0))
