"""Per-account notification choices: stored rows in, the pure ``notifications.Preferences`` out."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from backend.db.models import NoticePreference
from notifications import Category, Channel, Preferences, QuietHours

DEFAULTS = Preferences()


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def to_preferences(row: NoticePreference | None) -> Preferences:
    if row is None:
        return DEFAULTS
    choices: dict[tuple[Category, Channel], bool] = {}
    for key, value in row.choices.items():
        category, _, channel = key.partition(":")
        if category in Category._value2member_map_ and channel in Channel._value2member_map_:
            choices[(Category(category), Channel(channel))] = bool(value)
    quiet = None
    if row.quiet_hours and row.quiet_start != row.quiet_end:
        quiet = QuietHours(_clock(row.quiet_start), _clock(row.quiet_end), row.timezone)
    during = frozenset(Category(c) for c in row.during_quiet_hours if c in Category._value2member_map_)
    return Preferences(choices=choices, quiet_hours=quiet, during_quiet_hours=during)


async def preferences_of(session: AsyncSession, account_ids: Iterable[UUID]) -> dict[UUID, Preferences]:
    """Everyone's choices in one query; accounts without a row get the defaults."""
    ids = list(set(account_ids))
    found: dict[UUID, Preferences] = dict.fromkeys(ids, DEFAULTS)
    for start in range(0, len(ids), 1000):
        rows = await session.execute(
            select(NoticePreference).where(col(NoticePreference.account_id).in_(ids[start : start + 1000]))
        )
        for row in rows.scalars():
            found[row.account_id] = to_preferences(row)
    return found
