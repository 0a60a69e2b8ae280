"""Vacation days: the yearly entitlement and what is left after approved and pending requests.

A requested day counts when it is a working day in the Swedish calendar (weekends, public
and de facto holidays are free anyway). Days count in the calendar year they fall in
(assumption: many employers use another vacation year; the material does not say).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from backend.domain.calendar import is_working_day

DEFAULT_VACATION_DAYS = Decimal(25)
"""Semesterlagen (1977:480) 4 §: 25 days a year, the law's minimum (not a yearly figure)."""

MAX_REQUEST_DAYS = 366

WORKING_DAYS_PER_WEEK = 5
"""A leave day is the contractual week's hours spread over Monday-Friday (assumption: the material
gives no schedule for requested leave; a time week reports the real hours where they differ)."""


def working_days(first: date, last: date) -> list[date]:
    """The working days from ``first`` to ``last`` (inclusive): those a leave request takes."""
    found = []
    day = first
    while day <= last:
        if is_working_day(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def vacation_days(first: date, last: date, year: int | None = None) -> int:
    """Working days from ``first`` to ``last`` (inclusive), optionally only those in ``year``."""
    if year is not None:
        first, last = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    return len(working_days(first, last))


@dataclass(frozen=True)
class VacationBalance:
    year: int
    entitlement: Decimal
    approved: Decimal
    pending: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.entitlement - self.approved - self.pending


def balance(
    year: int,
    entitlement: Decimal,
    approved: Iterable[tuple[date, date]],
    pending: Iterable[tuple[date, date]],
) -> VacationBalance:
    return VacationBalance(
        year=year,
        entitlement=entitlement,
        approved=Decimal(sum(vacation_days(a, b, year) for a, b in approved)),
        pending=Decimal(sum(vacation_days(a, b, year) for a, b in pending)),
    )
