"""Who gets what, where and when: per-user channel choices and quiet hours. Pure.

Defaults: in-app always (it is the inbox, not an interruption), push on for
every category, e-mail off. Quiet hours (default 20:00-07:00 Europe/Stockholm,
spanning midnight) hold push back until they end, except for categories the
user asked to get during quiet hours; e-mail and in-app are not interruptions
and go out at once.

Quiet hours are wall-clock times in the user's zone, so on the days the clocks
change the period is an hour shorter or longer in UTC: 07:00 is 07:00.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Category(StrEnum):
    ATTEST_DIGEST = "attest_digest"
    """Daily summary to a manager of what waits for attest."""
    ATTEST_REMINDER = "attest_reminder"
    """A manager's items are close to the payroll deadline."""
    ITEM_DECIDED = "item_decided"
    """An employee's item was approved or returned."""
    PAYSLIP_READY = "payslip_ready"
    SUBMIT_REMINDER = "submit_reminder"
    """An employee has not submitted time or expenses before the deadline."""
    ATTEST_NUDGE = "attest_nudge"
    """An employee asks the manager to look at a waiting item."""
    CASE_UPDATE = "case_update"
    """An error report (felanmälan): new or replied to (payroll), answered or changed (the reporter)."""


class Channel(StrEnum):
    PUSH = "push"
    EMAIL = "email"
    IN_APP = "in_app"


_DEFAULT_ON: frozenset[Channel] = frozenset({Channel.PUSH, Channel.IN_APP})


QUIET_START = time(20, 0)
QUIET_END = time(7, 0)
"""The quiet hours everyone has until they choose others (the one place they are written)."""


def clock_text(moment: time) -> str:
    """``20:00``: how quiet hours are stored and shown."""
    return moment.strftime("%H:%M")


@dataclass(frozen=True)
class QuietHours:
    """A daily wall-clock period; ``start == end`` means none. ``end`` before ``start`` spans midnight."""

    start: time = QUIET_START
    end: time = QUIET_END
    timezone: str = "Europe/Stockholm"

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            msg = "quiet hours are wall-clock times; give the zone in `timezone`"
            raise ValueError(msg)
        ZoneInfo(self.timezone)  # fail early on an unknown zone

    def ends_after(self, now_utc: datetime) -> datetime | None:
        """The UTC instant the quiet period containing ``now_utc`` ends, or ``None`` when not quiet."""
        _require_aware(now_utc)
        if self.start == self.end:
            return None
        zone = ZoneInfo(self.timezone)
        local = now_utc.astimezone(zone)
        wall = local.time().replace(tzinfo=None)
        if self.start < self.end:
            if not self.start <= wall < self.end:
                return None
            end_day = local.date()
        elif wall >= self.start:
            end_day = local.date() + timedelta(days=1)
        elif wall < self.end:
            end_day = local.date()
        else:
            return None
        return _first_instant_at(end_day, self.end, zone, after=now_utc.astimezone(UTC))


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = "give an aware datetime (UTC)"
        raise ValueError(msg)


def _first_instant_at(day: date, wall: time, zone: ZoneInfo, *, after: datetime) -> datetime:
    """The first UTC instant after ``after`` when the clock in ``zone`` shows ``day`` ``wall`` or later.

    An ambiguous wall time (clocks go back) happens twice: the first time that
    is still ahead wins. A skipped one (clocks go forward) ends at the jump.
    """
    naive = datetime.combine(day, wall)
    candidates = sorted({naive.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1)})
    existing = [c for c in candidates if c.astimezone(zone).replace(tzinfo=None) == naive]
    if existing:
        ahead = [c for c in existing if c > after]
        return ahead[0] if ahead else existing[-1]
    low, high = int(candidates[0].timestamp()), int(candidates[-1].timestamp())
    while high - low > 1:  # the local clock is before `naive` at `low` and at or past it at `high`
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


@dataclass(frozen=True)
class Preferences:
    """One user's choices. ``choices`` holds only what the user changed from the defaults."""

    choices: Mapping[tuple[Category, Channel], bool] = field(default_factory=dict)
    quiet_hours: QuietHours | None = field(default_factory=QuietHours)
    """``None``: the user turned quiet hours off."""
    during_quiet_hours: frozenset[Category] = frozenset()
    """Categories the user wants pushed even during quiet hours."""

    def enabled(self, category: Category, channel: Channel) -> bool:
        if channel is Channel.IN_APP:
            return True
        return self.choices.get((category, channel), channel in _DEFAULT_ON)


@dataclass(frozen=True)
class SendNow:
    pass


@dataclass(frozen=True)
class DeferUntil:
    at: datetime
    """UTC."""


@dataclass(frozen=True)
class Skip:
    reason: str


Decision = SendNow | DeferUntil | Skip


def decide(prefs: Preferences, category: Category, now_utc: datetime) -> dict[Channel, Decision]:
    """For each channel: send now, hold back until a UTC time, or skip."""
    _require_aware(now_utc)
    decisions: dict[Channel, Decision] = {}
    for channel in Channel:
        if not prefs.enabled(category, channel):
            decisions[channel] = Skip(f"{channel.value} turned off for {category.value}")
            continue
        if (
            channel is Channel.PUSH
            and prefs.quiet_hours is not None
            and category not in prefs.during_quiet_hours
            and (end := prefs.quiet_hours.ends_after(now_utc)) is not None
        ):
            decisions[channel] = DeferUntil(end)
            continue
        decisions[channel] = SendNow()
    return decisions
