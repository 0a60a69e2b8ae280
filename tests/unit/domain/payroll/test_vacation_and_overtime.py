"""Vacation supplement (same-pay rule), the percentage rule, and overtime/OB by agreement profile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.domain.payroll.errors import VacationSupplementBelowMinimum
from backend.domain.payroll.overtime import (
    HourlyPayRequired,
    PayItemNotInAgreement,
    hours_above_threshold,
    pay_for_hours,
)
from backend.domain.payroll.vacation import supplement_rate, vacation_pay_percentage_rule, vacation_supplement
from backend.domain.rates import PayItemKind, agreement_profile

ON = date(2026, 7, 1)


def test_vacation_supplement_at_the_legal_minimum() -> None:
    result = vacation_supplement(Decimal(35_000), 5, on=ON)
    assert result.amount == Decimal("752.50")
    assert result.explanation_sv == "Semestertillägg: 35 000,00 kr x 0,43 % x 5 dagar = 752,50 kr"


def test_vacation_supplement_by_white_collar_agreement() -> None:
    rate = supplement_rate(agreement_profile("white_collar"), on=ON)
    assert vacation_supplement(Decimal(35_000), 5, on=ON, rate=rate).amount == Decimal("1400.00")


def test_an_agreement_without_its_own_rate_uses_the_legal_minimum() -> None:
    assert supplement_rate(agreement_profile("municipal"), on=ON) == Decimal("0.0043")


def test_a_supplement_below_the_legal_minimum_is_refused() -> None:
    with pytest.raises(VacationSupplementBelowMinimum) as caught:
        vacation_supplement(Decimal(35_000), 5, on=ON, rate=Decimal("0.004"))
    assert caught.value.code == "vacation.supplement_below_minimum"


def test_percentage_rule_is_12_percent() -> None:
    assert vacation_pay_percentage_rule(Decimal("123456.78"), on=ON) == Decimal("14814.81")


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (PayItemKind.SIMPLE_OVERTIME, Decimal("500.00")),  # 47,000 / 94
        (PayItemKind.QUALIFIED_OVERTIME, Decimal("652.78")),  # 47,000 / 72
        (PayItemKind.MERTID, Decimal("330.99")),  # 47,000 / 142
        (PayItemKind.OB_WEEKDAY_EVENING, Decimal("78.33")),  # 47,000 / 600
        (PayItemKind.OB_NIGHT, Decimal("117.50")),
        (PayItemKind.OB_WEEKEND, Decimal("156.67")),
        (PayItemKind.OB_MAJOR_HOLIDAY, Decimal("313.33")),
    ],
)
def test_white_collar_one_hour(item: PayItemKind, expected: Decimal) -> None:
    line = pay_for_hours(agreement_profile(), item, 1, monthly_salary=Decimal(47_000))
    assert line.amount == expected


def test_white_collar_hours_are_priced_exactly_then_rounded_once() -> None:
    line = pay_for_hours(agreement_profile(), PayItemKind.QUALIFIED_OVERTIME, 3, monthly_salary=Decimal(47_000))
    assert line.amount == Decimal("1958.33")  # 47,000 x 3 / 72 = 1,958.333...


def test_municipal_overtime_is_180_and_240_percent_of_hourly_pay() -> None:
    profile = agreement_profile("municipal")
    simple = pay_for_hours(profile, PayItemKind.SIMPLE_OVERTIME, 2, hourly_pay=Decimal(200))
    qualified = pay_for_hours(profile, PayItemKind.QUALIFIED_OVERTIME, 2, hourly_pay=Decimal(200))
    assert (simple.amount, qualified.amount) == (Decimal("720.00"), Decimal("960.00"))


def test_municipal_hourly_staff_get_overtime_above_165_hours() -> None:
    profile = agreement_profile("municipal")
    assert hours_above_threshold(profile, Decimal("170.5")) == Decimal("5.5")
    assert hours_above_threshold(profile, Decimal(160)) == 0


def test_municipal_profile_has_no_ob_items() -> None:
    with pytest.raises(PayItemNotInAgreement) as caught:
        pay_for_hours(agreement_profile("municipal"), PayItemKind.OB_NIGHT, 1, hourly_pay=Decimal(200))
    assert caught.value.code == "agreement.item_not_in_profile"


def test_the_pay_basis_the_agreement_needs_must_be_given() -> None:
    with pytest.raises(HourlyPayRequired):
        pay_for_hours(agreement_profile(), PayItemKind.SIMPLE_OVERTIME, 1, hourly_pay=Decimal(200))
