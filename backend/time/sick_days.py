"""Where a week's sick spells start, from the week and the days reported before it.

The time week's hint and the payroll export read them alike (``spell_starts``, one rule in the
domain), so the karensavdrag the week shows is the one the payroll system is told of.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import TimeEntry
from backend.domain.time.codes import TimeCode
from backend.domain.time.sick import SpellStart, spell_starts

SICK_LOOKBACK_DAYS = 35
"""How far back a week looks for the spell it may continue (a relapse within 5 days, then the spell itself)."""


@dataclass
class ReportedDays:
    """Days with sick hours, and days with any other hours (work, another absence)."""

    sick: set[date] = field(default_factory=set)
    other: set[date] = field(default_factory=set)

    def add(self, day: date, code: str) -> None:
        (self.sick if code == TimeCode.SICK.value else self.other).add(day)


async def reported_before(
    session: AsyncSession, employee_ids: Collection[UUID], first_monday: date, last_monday: date
) -> dict[UUID, ReportedDays]:
    """Each employee's stored days from the lookback before ``first_monday`` up to ``last_monday`` (excluded)."""
    found: dict[UUID, ReportedDays] = defaultdict(ReportedDays)
    if not employee_ids:
        return found
    rows = await session.execute(
        select(col(TimeEntry.employee_id), col(TimeEntry.day), col(TimeEntry.code)).where(
            col(TimeEntry.employee_id).in_(employee_ids),
            col(TimeEntry.day) >= first_monday - timedelta(days=SICK_LOOKBACK_DAYS),
            col(TimeEntry.day) < last_monday,
            col(TimeEntry.hours) > 0,
        )
    )
    for employee_id, day, code in rows.tuples():
        found[employee_id].add(day, code)
    return found


def week_spell_starts(monday: date, week: ReportedDays, before: ReportedDays) -> dict[date, SpellStart]:
    """The week's days that start a sick spell: the week as given, and what ``before`` holds ahead of it."""
    earliest = monday - timedelta(days=SICK_LOOKBACK_DAYS)
    sick = {d for d in before.sick if earliest <= d < monday} | week.sick
    other = {d for d in before.other if earliest <= d < monday} | week.other
    sunday = monday + timedelta(days=6)
    return {day: start for day, start in spell_starts(sick, other).items() if monday <= day <= sunday}
