"""ISO weeks ("2026-W48"), the unit employees report time in (Monday to Sunday, Europe/Stockholm dates)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta

from backend.domain.attest import AttestState, editable
from backend.domain.errors import DomainError
from backend.domain.text import Text

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class InvalidWeek(DomainError):
    code = "time.invalid_week"


def parse_week(text: str) -> date:
    """The Monday of an ISO week written ``YYYY-Www``."""
    found = _WEEK.match(text.strip())
    if found:
        try:
            return date.fromisocalendar(int(found[1]), int(found[2]), 1)
        except ValueError:
            pass
    raise InvalidWeek(
        Text(
            sv=f"{text!r} är inte en vecka; skriv till exempel 2026-W48.",
            en=f"{text!r} is not a week; write it as 2026-W48.",
        ),
        field="week",
    )


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year:04d}-W{week:02d}"


def days_of(monday: date) -> tuple[date, ...]:
    return tuple(monday + timedelta(days=i) for i in range(7))


def first_open_week(first: date, current: date, states: Mapping[date, AttestState | None]) -> date:
    """The first week from ``first`` the employee may still change (not sent, or sent back); else ``current``.

    ``states``: the attest state of each saved week by its Monday (None: saved, never sent).
    """
    monday = min(first, current)
    while monday < current and not editable(states.get(monday)):
        monday += timedelta(weeks=1)
    return monday
