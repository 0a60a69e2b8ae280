"""The time, in one replaceable place. Dates the users see are Europe/Stockholm.

Every date rule reads one clock. Handlers get it as the ``clock`` dependency, the worker
through its context, the demo seed as an argument. Row timestamps (``created_at``,
``updated_at``, audit ``occurred_at``) are written by ORM defaults that cannot take
arguments, so the app factory, the worker and the seed also *install* their clock here
(``use``) and ``backend.db.types.utcnow`` reads the installed one: a test or a demo that
fixes the time gets rows stamped with that time, not the machine's.
"""

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


_installed: Clock = Clock()


def use(clock: Clock) -> Clock:
    """Install ``clock`` as the process's clock; returns the one it replaces."""
    global _installed
    previous, _installed = _installed, clock
    return previous


def current() -> Clock:
    """The installed clock (real time unless the app, the worker or a test installed another)."""
    return _installed
