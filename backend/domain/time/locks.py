"""Locked days ("spärrade dagar"): a range payroll closes for one employee or everyone.

A lock covers its first to its last day, at most ``MAX_LOCK_DAYS`` at a time. A day covered by
several locks shows the first reason given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from backend.domain.errors import FieldError
from backend.domain.text import Text

MAX_LOCK_DAYS = 400


@dataclass(frozen=True)
class LockedRange:
    first_day: date
    last_day: date
    reason: str | None = None


def lock_range_violations(first_day: date, last_day: date) -> list[FieldError]:
    """What is wrong with locking ``first_day`` to ``last_day``: reversed, or too long."""
    if last_day < first_day:
        return [
            FieldError(
                "last_day",
                "time.range_reversed",
                Text(
                    sv="Sista dagen måste vara samma som eller efter första dagen.",
                    en="The last day must not be before the first.",
                ),
            )
        ]
    if (last_day - first_day).days >= MAX_LOCK_DAYS:
        return [
            FieldError(
                "last_day",
                "time.range_too_long",
                Text(
                    sv=f"Spärra högst {MAX_LOCK_DAYS} dagar åt gången.",
                    en=f"Lock at most {MAX_LOCK_DAYS} days at a time.",
                ),
            )
        ]
    return []


def locked_days(locks: Iterable[LockedRange], first: date, last: date) -> dict[date, str | None]:
    """The days from ``first`` to ``last`` that a lock covers, each with its (first given) reason."""
    found: dict[date, str | None] = {}
    for lock in locks:
        day = max(lock.first_day, first)
        while day <= min(lock.last_day, last):
            found[day] = found.get(day) or lock.reason
            day += timedelta(days=1)
    return found
