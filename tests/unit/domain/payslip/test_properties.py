"""Properties that hold for every payslip: the totals add up, tax is never negative and grows with pay,
retroactive lines sum to the difference, and no float ever enters or leaves the engine."""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.errors import InvalidValue
from backend.domain.money import round_ore
from backend.domain.payslip import (
    ApprovedExpense,
    ApprovedTravelClaim,
    EmploymentTerms,
    ExpenseKind,
    PaidSalary,
    PayType,
    TimeCode,
    TimeRow,
)
from tests.unit.domain.payslip.builders import days, employee, monthly, period, row, slip

FAST = settings(max_examples=60, deadline=None)


def _money(low: int, high: int) -> st.SearchStrategy[Decimal]:
    """Amounts as exact decimal strings with öre, e.g. Decimal("41999.95")."""
    return st.integers(low * 100, high * 100).map(lambda ore: Decimal(f"{ore // 100}.{ore % 100:02d}"))


def _hours(high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, high * 4).map(lambda quarters: Decimal(quarters) / 4)


@st.composite
def payslips(draw: st.DrawFn) -> Any:
    salary = draw(_money(0, 150_000))
    table = draw(st.one_of(st.none(), st.integers(29, 42)))
    born = draw(st.sampled_from([date(1950, 3, 1), date(1958, 8, 14), date(1985, 5, 1), date(2004, 6, 1)]))
    time: list[TimeRow] = []
    for code in (TimeCode.SIMPLE_OVERTIME, TimeCode.OB_WEEKEND, TimeCode.VAB):
        time.append(row(date(2026, 3, 10), code, draw(_hours(10))))
    time += days(date(2026, 3, 2), draw(st.integers(0, 20)), TimeCode.SICK)
    time += days(date(2026, 3, 23), draw(st.integers(0, 5)), TimeCode.VACATION, source="leave")
    expenses = [ApprovedExpense("x1", "c1", draw(_money(0, 5_000)), date(2026, 3, 20))]
    wellness = [ApprovedExpense("x2", "c2", draw(_money(0, 3_000)), date(2026, 3, 20), kind=ExpenseKind.WELLNESS)]
    travel = [
        ApprovedTravelClaim(
            "t1",
            date(2026, 3, 20),
            per_diem_tax_free=draw(_money(0, 2_000)),
            per_diem_taxable=draw(_money(0, 1_000)),
            mileage_tax_free=draw(_money(0, 1_000)),
            mileage_taxable=draw(_money(0, 500)),
        )
    ]
    return slip(
        employee(monthly(salary), born=born, table=table),
        time=time,
        expenses=expenses + wellness,
        travel_claims=travel,
        wellness_paid_earlier_this_year=draw(_money(0, 6_000)),
    )


@FAST
@given(payslips())
def test_net_pay_is_gross_minus_tax_plus_tax_free(payslip: Any) -> None:
    assert payslip.net_pay == payslip.gross_pay - payslip.tax + payslip.tax_free
    assert payslip.net_pay == sum(line.amount for line in payslip.lines if line.cash)
    assert payslip.taxable_pay == payslip.gross_pay + payslip.taxable_benefits


@FAST
@given(payslips())
def test_tax_is_never_negative_and_in_whole_kronor(payslip: Any) -> None:
    assert payslip.tax >= 0
    assert payslip.tax == payslip.tax.to_integral_value()


@FAST
@given(payslips())
def test_employer_contributions_are_on_the_lines_that_carry_them(payslip: Any) -> None:
    base = sum(line.amount for line in payslip.lines if line.employer_contributions)
    assert payslip.employer_contributions.gross_pay == base
    assert all(not line.employer_contributions for line in payslip.lines if not line.taxable)


@FAST
@given(
    st.integers(29, 42),
    st.sampled_from([date(1985, 5, 1), date(1958, 8, 14)]),
    _money(0, 80_000),
    _money(0, 80_000),
)
def test_tax_never_decreases_when_the_salary_rises_within_the_amount_bands(
    table: int, born: date, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))
    tax_low = slip(employee(monthly(low), born=born, table=table)).tax
    tax_high = slip(employee(monthly(high), born=born, table=table)).tax
    assert tax_low <= tax_high


def _due(old: Decimal, new: Decimal, valid_from: date, year: int, month: int) -> Decimal:
    """What a month is worth by calendar days (the specification, computed independently)."""
    n = calendar.monthrange(year, month)[1]
    first, last = date(year, month, 1), date(year, month, n)
    if valid_from <= first:
        return round_ore(new)
    if valid_from > last:
        return round_ore(old)
    new_days = (last - valid_from).days + 1
    return round_ore(Fraction(old) * (n - new_days) / n) + round_ore(Fraction(new) * new_days / n)


@FAST
@given(
    _money(20_000, 90_000),
    _money(20_000, 90_000),
    st.integers(0, 119),
    st.lists(_money(0, 90_000), min_size=4, max_size=4),
)
def test_retro_lines_sum_to_the_difference_between_due_and_paid(
    old: Decimal, new: Decimal, offset: int, paid: list[Decimal]
) -> None:
    valid_from = date(2026, 1, 1) + timedelta(days=offset)  # somewhere in January-April
    terms = (monthly(old), monthly(new, valid_from=valid_from, recorded_on=date(2026, 5, 6)))
    paid_salaries = [PaidSalary(2026, m, salary=amount) for m, amount in zip((1, 2, 3, 4), paid, strict=True)]
    payslip = slip(employee(*terms), period(2026, 5), paid_salaries=paid_salaries)
    retro = payslip.lines_with("salary_retro")
    expected = sum(_due(old, new, valid_from, 2026, m) - p for m, p in zip((1, 2, 3, 4), paid, strict=True))
    assert sum((line.amount for line in retro), Decimal(0)) == expected
    assert len(retro) == sum(
        1 for m, p in zip((1, 2, 3, 4), paid, strict=True) if _due(old, new, valid_from, 2026, m) != p
    )


def _numbers(value: object) -> list[object]:
    """Every number anywhere in a payslip (dataclasses, tuples, enums left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [n for f in dataclasses.fields(value) for n in _numbers(getattr(value, f.name))]
    if isinstance(value, tuple | list):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        return []
    return [value]


@FAST
@given(payslips())
def test_no_float_anywhere_in_a_payslip(payslip: Any) -> None:
    numbers = _numbers(payslip)
    assert numbers
    assert not [n for n in numbers if isinstance(n, float)]
    amounts = [payslip.gross_pay, payslip.net_pay, payslip.tax] + [line.amount for line in payslip.lines]
    assert all(isinstance(a, Decimal) for a in amounts)


@pytest.mark.parametrize(
    "make",
    [
        lambda: EmploymentTerms(date(2026, 1, 1), PayType.MONTHLY, Decimal(40), date(2026, 1, 1), 42000.0),  # type: ignore[arg-type]
        lambda: TimeRow(date(2026, 3, 2), TimeCode.SIMPLE_OVERTIME, 1.5, "w", date(2026, 3, 2)),  # type: ignore[arg-type]
        lambda: ApprovedExpense("x", "c", 99.9, date(2026, 3, 2)),  # type: ignore[arg-type]
        lambda: ApprovedTravelClaim("t", date(2026, 3, 2), per_diem_taxable=0.1),  # type: ignore[arg-type]
        lambda: PaidSalary(2026, 3, salary=40000.0),  # type: ignore[arg-type]
    ],
)
def test_a_float_in_the_inputs_is_refused(make: Any) -> None:
    with pytest.raises(InvalidValue):
        make()
