"""Employer contributions by birth year and pay date, exact to the öre."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from backend.domain.errors import RatesNotAvailable
from backend.domain.payroll.contributions import employer_contributions
from backend.domain.payroll.errors import NegativeAmount


def test_standard_rate() -> None:
    result = employer_contributions(Decimal(40_000), birth_date=date(1985, 3, 1), pay_date=date(2026, 5, 25))
    assert result.total == Decimal("12568.00")
    assert [p.rule for p in result.parts] == ["standard"]


def test_youth_reduction_up_to_25000_and_standard_above() -> None:
    result = employer_contributions(Decimal(30_000), birth_date=date(2004, 7, 1), pay_date=date(2026, 5, 25))
    assert [(p.base, p.rate, p.amount) for p in result.parts] == [
        (Decimal(25_000), Decimal("0.2081"), Decimal("5202.50")),
        (Decimal(5_000), Decimal("0.3142"), Decimal("1571.00")),
    ]
    assert result.total == Decimal("6773.50")


def test_youth_reduction_starts_on_1_april_2026() -> None:
    march = employer_contributions(Decimal(20_000), birth_date=date(2004, 7, 1), pay_date=date(2026, 3, 25))
    april = employer_contributions(Decimal(20_000), birth_date=date(2004, 7, 1), pay_date=date(2026, 4, 1))
    assert march.total == Decimal("6284.00")
    assert april.total == Decimal("4162.00")


@pytest.mark.parametrize("born", [2002, 2008])
def test_youth_reduction_only_for_born_2003_to_2007(born: int) -> None:
    result = employer_contributions(Decimal(20_000), birth_date=date(born, 1, 1), pay_date=date(2026, 6, 25))
    assert result.total == Decimal("6284.00")


def test_earlier_pay_in_the_month_uses_up_the_youth_cap() -> None:
    result = employer_contributions(
        Decimal(10_000),
        birth_date=date(2005, 1, 1),
        pay_date=date(2026, 6, 25),
        already_paid_this_month=Decimal(20_000),
    )
    assert [p.base for p in result.parts] == [Decimal(5_000), Decimal(5_000)]
    assert result.total == Decimal("1040.50") + Decimal("1571.00")


def test_born_1938_to_1958_pay_only_the_old_age_pension_fee() -> None:
    result = employer_contributions(Decimal(30_000), birth_date=date(1950, 5, 5), pay_date=date(2026, 5, 25))
    assert result.total == Decimal("3063.00")


def test_born_1937_or_earlier_pay_nothing() -> None:
    result = employer_contributions(Decimal(30_000), birth_date=date(1937, 12, 31), pay_date=date(2026, 5, 25))
    assert result.total == Decimal("0.00")


def test_rounds_half_up_to_the_ore() -> None:
    # 0.25 x 31.42 % = 0.07855 -> 0.08
    result = employer_contributions(Decimal("0.25"), birth_date=date(1980, 1, 1), pay_date=date(2026, 5, 25))
    assert result.total == Decimal("0.08")


def test_explanations_in_both_languages() -> None:
    part = employer_contributions(Decimal(40_000), birth_date=date(1985, 3, 1), pay_date=date(2026, 5, 25)).parts[0]
    assert part.explanation_en == "Employer contributions: 40,000.00 kr x 31.42 % = 12,568.00 kr"
    assert part.explanation_sv == "Arbetsgivaravgifter: 40 000,00 kr x 31,42 % = 12 568,00 kr"


def test_negative_pay_is_refused() -> None:
    with pytest.raises(NegativeAmount) as caught:
        employer_contributions(Decimal(-1), birth_date=date(1980, 1, 1), pay_date=date(2026, 5, 25))
    assert caught.value.code == "payroll.negative_amount"


def test_2025_contributions_are_not_in_the_material() -> None:
    with pytest.raises(RatesNotAvailable):
        employer_contributions(Decimal(1), birth_date=date(1980, 1, 1), pay_date=date(2025, 12, 25))
