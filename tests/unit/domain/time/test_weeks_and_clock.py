"""Where time reporting opens, clock times as written, and hours as shown."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from backend.domain.attest import AttestState
from backend.domain.time.ob import clock_text, parse_clock
from backend.domain.time.rules import shown_hours
from backend.domain.time.weeks import first_open_week

CURRENT = date(2026, 11, 16)
FIRST = CURRENT - timedelta(weeks=3)


def week(n: int) -> date:
    return FIRST + timedelta(weeks=n)


def test_reporting_opens_on_the_first_week_never_sent() -> None:
    states = {week(0): AttestState.APPROVED, week(1): AttestState.SUBMITTED}
    assert first_open_week(FIRST, CURRENT, states) == week(2)


def test_a_week_sent_back_is_open_again() -> None:
    states = {week(0): AttestState.APPROVED, week(1): AttestState.RETURNED, week(2): AttestState.SUBMITTED}
    assert first_open_week(FIRST, CURRENT, states) == week(1)


def test_a_week_saved_but_not_sent_is_open() -> None:
    assert first_open_week(FIRST, CURRENT, {week(0): None}) == week(0)


def test_when_every_earlier_week_is_sent_reporting_opens_on_the_current_week() -> None:
    states = {week(n): AttestState.LOCKED for n in range(3)}
    assert first_open_week(FIRST, CURRENT, states) == CURRENT


def test_an_employment_starting_later_opens_on_the_current_week() -> None:
    assert first_open_week(CURRENT + timedelta(weeks=2), CURRENT, {}) == CURRENT


@pytest.mark.parametrize(("text", "clock"), [("07:45", time(7, 45)), ("00:00", time(0, 0)), ("23:59", time(23, 59))])
def test_a_clock_time_is_read_and_written_as_hours_and_minutes(text: str, clock: time) -> None:
    assert parse_clock(text) == clock
    assert clock_text(clock) == text


def test_hours_are_shown_to_the_hundredth() -> None:
    assert str(shown_hours(Decimal("7.5"))) == "7.50"
    assert str(shown_hours(Decimal(8))) == "8.00"
    assert shown_hours(Decimal("7.125")) == Decimal("7.12")  # banker's rounding, as before
