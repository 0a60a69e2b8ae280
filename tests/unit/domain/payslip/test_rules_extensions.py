"""The two additions this engine needed in payroll/absence.py (kept here beside their user)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.payroll.absence import SickPeriod, assess_sick_periods, karensavdrag, karensavdrag_for_weekly_pay

ON = date(2026, 3, 1)


def test_karensavdrag_from_a_weekly_pay_is_20_percent_of_80_percent_of_it() -> None:
    assert karensavdrag_for_weekly_pay(Decimal(7200), on=ON) == Decimal("1152.00")  # 180 kr x 40 h


def test_karensavdrag_from_the_weekly_pay_agrees_with_the_monthly_formula() -> None:
    assert karensavdrag_for_weekly_pay(Decimal(30_000) * 12 / 52, on=ON) == karensavdrag(Decimal(30_000), on=ON)


def test_a_spell_within_5_days_of_a_spell_assessed_earlier_continues_its_day_count() -> None:
    earlier = SickPeriod(date(2026, 3, 2), date(2026, 3, 11))
    (spell,) = assess_sick_periods(
        [SickPeriod(date(2026, 3, 16), date(2026, 3, 22))], previous_period=earlier, previous_last_day_number=10
    )
    assert spell.continues_previous
    assert not spell.karens
    assert spell.first_day_number == 11
    assert len(spell.employer_days) == 4


def test_a_spell_more_than_5_days_after_the_earlier_one_is_new() -> None:
    earlier = SickPeriod(date(2026, 3, 2), date(2026, 3, 11))
    (spell,) = assess_sick_periods(
        [SickPeriod(date(2026, 3, 17), date(2026, 3, 18))], previous_period=earlier, previous_last_day_number=10
    )
    assert spell.karens
    assert spell.first_day_number == 1
