"""The expected hours of a day and a week from the employment terms and the Swedish calendar.

A working day is Monday-Friday that is neither a public holiday nor one of the de facto
holidays (Midsommarafton, Julafton, Nyårsafton) from the maintained ``holidays`` package.
Each working day is expected to hold weekly hours x employment rate / 5. Eves ("från kl.
14.00") are shown but count as full days: the source material states no rule that shortens
them (assumption). Days before the employment starts or after it ends expect nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from backend.domain.calendar import eve_name, holiday_name, is_working_day

WORKING_DAYS_PER_WEEK = 5
FULL_TIME_PERCENT = Decimal(100)


@dataclass(frozen=True)
class Terms:
    """The employment terms valid on a day: weekly hours and employment rate (percent)."""

    weekly_hours: Decimal
    employment_rate: Decimal


@dataclass(frozen=True)
class DaySchedule:
    day: date
    hours: Decimal  # exact; 0 on days off and outside the employment
    employed: bool
    working_day: bool
    holiday: str | None
    eve: str | None
    part_time: bool


def day_schedule(day: date, terms: Terms | None) -> DaySchedule:
    holiday = holiday_name(day)
    working = is_working_day(day)
    hours = Decimal(0)
    if terms is not None and working:
        # ``weekly_hours`` are the employee's own contractual hours (already at their employment rate),
        # the same reading the payslip engine and sick-pay rules use; the rate only marks part-time.
        hours = terms.weekly_hours / WORKING_DAYS_PER_WEEK
    return DaySchedule(
        day=day,
        hours=hours,
        employed=terms is not None,
        working_day=working,
        holiday=holiday,
        eve=eve_name(day) if holiday is None else None,
        part_time=terms is not None and terms.employment_rate < FULL_TIME_PERCENT,
    )


def week_schedule(days: Sequence[date], terms: Sequence[Terms | None]) -> tuple[DaySchedule, ...]:
    """Each day with the terms valid on it (None: not employed that day)."""
    return tuple(day_schedule(day, t) for day, t in zip(days, terms, strict=True))


def expected_hours(schedule: Sequence[DaySchedule]) -> Decimal:
    return sum((d.hours for d in schedule), Decimal(0))
