"""Locked days: the range payroll may lock at once, and the days a set of locks covers."""

from __future__ import annotations

from datetime import date, timedelta

from backend.domain.time.locks import MAX_LOCK_DAYS, LockedRange, lock_range_violations, locked_days

FIRST = date(2026, 11, 1)


def test_a_single_day_may_be_locked() -> None:
    assert lock_range_violations(FIRST, FIRST) == []


def test_a_range_ending_before_it_starts_is_refused() -> None:
    found = lock_range_violations(FIRST, FIRST - timedelta(days=1))
    assert [(v.field, v.code) for v in found] == [("last_day", "time.range_reversed")]


def test_at_most_the_maximum_number_of_days_is_locked_at_once() -> None:
    assert lock_range_violations(FIRST, FIRST + timedelta(days=MAX_LOCK_DAYS - 1)) == []
    found = lock_range_violations(FIRST, FIRST + timedelta(days=MAX_LOCK_DAYS))
    assert [(v.field, v.code) for v in found] == [("last_day", "time.range_too_long")]
    assert str(MAX_LOCK_DAYS) in found[0].message.sv
    assert str(MAX_LOCK_DAYS) in found[0].message.en


def test_only_the_days_asked_for_are_returned() -> None:
    locks = [LockedRange(date(2026, 10, 28), date(2026, 11, 3), "Löneperiod stängd")]
    assert locked_days(locks, FIRST, date(2026, 11, 7)) == {
        date(2026, 11, 1): "Löneperiod stängd",
        date(2026, 11, 2): "Löneperiod stängd",
        date(2026, 11, 3): "Löneperiod stängd",
    }


def test_a_day_under_several_locks_shows_the_first_reason_given() -> None:
    locks = [
        LockedRange(FIRST, FIRST, None),
        LockedRange(FIRST, FIRST, "Bokslut"),
        LockedRange(FIRST, FIRST, "Löneperiod stängd"),
    ]
    assert locked_days(locks, FIRST, FIRST) == {FIRST: "Bokslut"}


def test_a_lock_without_reason_still_locks_the_day() -> None:
    assert locked_days([LockedRange(FIRST, FIRST)], FIRST, FIRST + timedelta(days=6)) == {FIRST: None}
