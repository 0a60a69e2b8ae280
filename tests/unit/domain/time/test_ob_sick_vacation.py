"""Unsocial hours from clock times, the qualifying day of a sick spell, vacation days, codes per agreement."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.errors import RatesDataError
from backend.domain.rates import PayItemKind, agreement_profile, parse_agreements
from backend.domain.time.codes import TimeCode, derived_ob_items, reportable_codes
from backend.domain.time.ob import ClockSpan, unsocial_hours
from backend.domain.time.sick import spell_starts
from backend.domain.time.vacation import DEFAULT_VACATION_DAYS, balance, vacation_days

PROFILE = agreement_profile()
FRIDAY = date(2026, 11, 20)


def ob(day: date, start: time, end: time, hours: str) -> dict[PayItemKind, Decimal]:
    return unsocial_hours(day, ClockSpan(start, end), Decimal(hours), PROFILE)


def test_weekday_evening_is_18_to_24() -> None:
    assert ob(FRIDAY, time(14), time(22), "8") == {PayItemKind.OB_WEEKDAY_EVENING: 4}


def test_a_night_shift_into_saturday_is_evening_then_weekend() -> None:
    assert ob(FRIDAY, time(16), time(2), "10") == {PayItemKind.OB_WEEKDAY_EVENING: 6, PayItemKind.OB_WEEKEND: 2}


def test_an_early_weekday_morning_is_night() -> None:
    assert ob(date(2026, 11, 17), time(5), time(13), "8") == {PayItemKind.OB_NIGHT: 2}


def test_weekend_wins_over_night_because_it_pays_more() -> None:
    assert ob(date(2026, 11, 21), time(0), time(8), "8") == {PayItemKind.OB_WEEKEND: 8}


def test_major_holidays_and_ordinary_holidays() -> None:
    assert ob(date(2026, 12, 24), time(8), time(16), "8") == {PayItemKind.OB_MAJOR_HOLIDAY: 8}
    assert ob(date(2026, 1, 6), time(8), time(16), "8") == {PayItemKind.OB_WEEKEND: 8}  # Trettondedag jul


def test_a_break_is_taken_outside_the_ob_windows_first() -> None:
    assert ob(FRIDAY, time(14), time(22), "7.5") == {PayItemKind.OB_WEEKDAY_EVENING: 4}
    assert ob(FRIDAY, time(18), time(22), "3") == {PayItemKind.OB_WEEKDAY_EVENING: 3}


def test_an_agreement_without_ob_windows_derives_none() -> None:
    municipal = agreement_profile("municipal")
    assert unsocial_hours(FRIDAY, ClockSpan(time(18), time(23)), Decimal(5), municipal) == {}
    assert derived_ob_items(municipal) == ()


clock_times = st.integers(min_value=0, max_value=95).map(lambda q: time(q // 4, q % 4 * 15))


@settings(max_examples=200, deadline=None)
@given(st.dates(date(2025, 1, 1), date(2026, 12, 31)), clock_times, clock_times, st.integers(0, 96))
def test_ob_never_exceeds_the_hours_nor_the_shift(day: date, start: time, end: time, quarters: int) -> None:
    span = ClockSpan(start, end)
    hours = min(Decimal(quarters) / 4, span.hours())
    result = unsocial_hours(day, span, hours, PROFILE)
    assert sum(result.values(), Decimal(0)) <= hours
    assert all(value > 0 and value % Decimal("0.25") == 0 for value in result.values())


def test_the_first_day_of_a_sick_spell_is_the_qualifying_day() -> None:
    starts = spell_starts([date(2026, 11, 17), date(2026, 11, 18)])
    assert list(starts) == [date(2026, 11, 17)]
    assert starts[date(2026, 11, 17)].qualifying_day is True


def test_a_weekend_does_not_break_a_spell() -> None:
    assert list(spell_starts([date(2026, 11, 20), date(2026, 11, 23)])) == [date(2026, 11, 20)]


def test_a_new_spell_within_five_days_has_no_new_qualifying_day() -> None:
    starts = spell_starts([date(2026, 11, 16), date(2026, 11, 19)], reported={date(2026, 11, 17), date(2026, 11, 18)})
    assert starts[date(2026, 11, 19)].qualifying_day is False
    assert "5" in starts[date(2026, 11, 19)].explanation_en


def test_vacation_days_are_working_days_and_count_in_their_year() -> None:
    assert vacation_days(date(2026, 12, 21), date(2027, 1, 8)) == 10
    assert vacation_days(date(2026, 12, 21), date(2027, 1, 8), 2026) == 6
    assert vacation_days(date(2026, 12, 21), date(2027, 1, 8), 2027) == 4  # 6 January is a holiday


def test_remaining_vacation_is_entitlement_minus_approved_and_pending() -> None:
    found = balance(
        2026, DEFAULT_VACATION_DAYS, [(date(2026, 7, 6), date(2026, 7, 17))], [(date(2026, 12, 14), date(2026, 12, 18))]
    )
    assert (found.approved, found.pending, found.remaining) == (Decimal(10), Decimal(5), Decimal(10))


def test_codes_follow_the_agreement_profile() -> None:
    assert TimeCode.MERTID in reportable_codes(PROFILE)
    assert TimeCode.MERTID not in reportable_codes(agreement_profile("municipal"))
    assert {TimeCode.SICK, TimeCode.VACATION, TimeCode.VAB} <= set(reportable_codes(agreement_profile("municipal")))


def test_an_ob_window_must_be_well_formed() -> None:
    text = """
default_profile = "x"
[profiles.x]
name_en = "X"
name_sv = "X"
[profiles.x.items.ob_night]
monthly_divisor = 400
window = { days = "every_day", from = "07:00", until = "06:00" }
"""
    with pytest.raises(RatesDataError, match="until"):
        parse_agreements(text)
    with pytest.raises(RatesDataError, match="holidays"):
        parse_agreements(
            text.replace(
                'days = "every_day", from = "07:00", until = "06:00"',
                'days = "major_holidays", from = "00:00", until = "24:00"',
            )
        )
