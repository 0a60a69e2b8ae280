"""The time, in one replaceable place. Dates the users see are Europe/Stockholm."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Clock:
    """Real time. Tests and demos may pass a ``FixedClock`` to the app factory instead."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date in Stockholm (not UTC: just after midnight it is already tomorrow)."""
        return self.now().astimezone(STOCKHOLM).date()


class FixedClock(Clock):
    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            msg = "FixedClock needs an aware datetime"
            raise ValueError(msg)
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at
