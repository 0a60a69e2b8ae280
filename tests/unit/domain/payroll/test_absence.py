"""Sick pay, karensavdrag, the 5-day relapse rule, the 10-karens limit and hourly pay for deductions."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from backend.domain.errors import InvalidValue
from backend.domain.payroll.absence import (
    OverlappingSickPeriods,
    SickPeriod,
    absence_deduction,
    assess_sick_periods,
    hourly_pay_for_deductions,
    karens_explanation,
    karensavdrag,
    sick_pay,
    sick_pay_for_hours,
    weekly_pay,
)

ON = date(2026, 3, 1)


def test_karensavdrag_is_20_percent_of_a_week_s_sick_pay() -> None:
    assert karensavdrag(Decimal(30_000), on=ON) == Decimal("1107.69")


def test_weekly_pay_is_monthly_times_12_over_52() -> None:
    assert weekly_pay(Decimal(30_000), on=ON) == Decimal("6923.08")


def test_karens_explanation_shows_the_calculation() -> None:
    en, sv = karens_explanation(Decimal(30_000), on=ON)
    assert en.endswith("= 1,107.69 kr")
    assert sv.endswith("= 1 107,69 kr")


def test_sick_pay_is_80_percent_of_lost_pay() -> None:
    assert sick_pay(Decimal("1730.77"), on=ON) == Decimal("1384.62")


def test_hourly_pay_for_deductions_with_40_hour_weeks_is_monthly_over_173_33() -> None:
    assert hourly_pay_for_deductions(Decimal(30_000), Decimal(40), on=ON) == Decimal("173.08")


def test_absence_deduction_multiplies_the_exact_hourly_pay() -> None:
    # 30,000 x 12 / (52 x 40) x 8 = 1,384.615... -> 1,384.62 (not 173.08 x 8 = 1,384.64)
    assert absence_deduction(Decimal(30_000), Decimal(40), Decimal(8), on=ON) == Decimal("1384.62")


def test_sick_pay_for_hours_is_80_percent_of_the_exact_hourly_pay() -> None:
    assert sick_pay_for_hours(Decimal(30_000), Decimal(40), Decimal(8), on=ON) == Decimal("1107.69")


def test_weekly_hours_must_be_positive() -> None:
    with pytest.raises(InvalidValue):
        hourly_pay_for_deductions(Decimal(30_000), 0, on=ON)


def _period(first: date, days: int) -> SickPeriod:
    return SickPeriod(first, first + timedelta(days=days - 1))


def test_a_new_spell_gets_a_karensavdrag_and_days_1_to_14_are_sick_pay() -> None:
    (spell,) = assess_sick_periods([_period(date(2026, 3, 2), 20)])
    assert spell.karens
    assert spell.first_day_number == 1
    assert len(spell.employer_days) == 14
    assert len(spell.after_employer_period) == 6


def test_a_new_spell_within_5_days_continues_the_last_one() -> None:
    first = _period(date(2026, 3, 2), 10)  # 2-11 March, days 1-10
    relapse = _period(date(2026, 3, 16), 7)  # 5 days after 11 March
    spells = assess_sick_periods([first, relapse])
    assert spells[1].continues_previous
    assert not spells[1].karens
    assert spells[1].karens_skipped_because == "relapse"
    assert spells[1].first_day_number == 11
    assert len(spells[1].employer_days) == 4  # days 11-14
    assert len(spells[1].after_employer_period) == 3


def test_a_new_spell_6_days_later_is_a_new_spell() -> None:
    spells = assess_sick_periods([_period(date(2026, 3, 2), 10), _period(date(2026, 3, 17), 2)])
    assert not spells[1].continues_previous
    assert spells[1].karens
    assert spells[1].first_day_number == 1


def test_at_most_10_karensavdrag_in_12_months() -> None:
    periods = [_period(date(2026, 1, 5) + timedelta(weeks=2 * i), 1) for i in range(11)]
    spells = assess_sick_periods(periods)
    assert [s.karens for s in spells] == [True] * 10 + [False]
    assert spells[-1].karens_skipped_because == "karens_limit"
    assert "10" in spells[-1].explanation_en


def test_karensavdrag_older_than_12_months_do_not_count() -> None:
    earlier = [date(2025, 3, 1) + timedelta(weeks=i) for i in range(10)]
    (spell,) = assess_sick_periods([_period(date(2026, 6, 1), 2)], earlier_karens_days=earlier)
    assert spell.karens


def test_earlier_karensavdrag_within_12_months_count() -> None:
    earlier = [date(2025, 9, 1) + timedelta(weeks=i) for i in range(10)]
    (spell,) = assess_sick_periods([_period(date(2026, 6, 1), 2)], earlier_karens_days=earlier)
    assert not spell.karens


def test_overlapping_periods_are_refused() -> None:
    with pytest.raises(OverlappingSickPeriods) as caught:
        assess_sick_periods([_period(date(2026, 3, 2), 5), _period(date(2026, 3, 4), 2)])
    assert caught.value.code == "absence.overlapping_sick_periods"


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidValue) as caught:
        assess_sick_periods([SickPeriod(date(2026, 3, 5), date(2026, 3, 4))])
    assert caught.value.code == "absence.period_ends_before_start"
