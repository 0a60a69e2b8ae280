"""Unsocial hours (OB) derived from clock times by the agreement profile's windows.

A shift is given as a start and an end time on the day it starts (an end at or before the
start means it ends the next day). Every quarter of an hour of the shift that lies in one
or more OB windows counts once, in the best-paid of them (e.g. a Saturday night is weekend
OB, not night OB). When the reported hours are fewer than the shift (a break), the break
is assumed to be taken outside the OB windows, lowest-paid OB first (assumption: the
material is silent). OB is derived for ordinary work and mertid only: overtime hours are
paid as overtime instead (assumption, the usual white-collar rule).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

from backend.domain.calendar import eve_name, holiday_name
from backend.domain.rates import AgreementProfile, HourlyCompensation, PayItemKind
from backend.domain.rates.agreements import ObDays, ObWindow

MINUTES_PER_HOUR = 60


def parse_clock(text: str) -> time:
    """A clock time written ``HH:MM`` (Stockholm wall-clock time, as employees report it)."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def clock_text(value: time) -> str:
    """A clock time as it is shown and kept in the audit trail: ``HH:MM``."""
    return value.strftime("%H:%M")


@dataclass(frozen=True)
class ClockSpan:
    start: time
    end: time

    def bounds(self, day: date) -> tuple[datetime, datetime]:
        begin = datetime.combine(day, self.start)
        end = datetime.combine(day, self.end)
        if end <= begin:
            end += timedelta(days=1)
        return begin, end

    def hours(self) -> Decimal:
        begin, end = self.bounds(date(2000, 1, 3))
        return Decimal(int((end - begin).total_seconds()) // 60) / MINUTES_PER_HOUR


def applies_on(window: ObWindow, day: date) -> bool:
    holiday = holiday_name(day)
    if window.days is ObDays.EVERY_DAY:
        return True
    if window.days is ObDays.WEEKDAYS:
        return day.weekday() < 5 and holiday is None
    if window.days is ObDays.WEEKENDS_AND_HOLIDAYS:
        return day.weekday() >= 5 or holiday is not None
    names = {holiday, eve_name(day)} - {None}
    return bool(names & set(window.holidays))


def _value(comp: HourlyCompensation) -> Fraction:
    """How well an hour is paid, to pick the best window (a smaller divisor pays more)."""
    if comp.monthly_divisor is not None:
        return Fraction(1) / Fraction(comp.monthly_divisor)
    return Fraction(comp.hourly_pay_share or 0)


def _intervals(window: ObWindow, day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, window.start)
    end = datetime.combine(day, window.end) if window.end is not None else datetime.combine(day + timedelta(1), time())
    return start, end


def unsocial_hours(day: date, span: ClockSpan, hours: Decimal, profile: AgreementProfile) -> dict[PayItemKind, Decimal]:
    """OB hours per item for a shift starting on ``day``; only items with hours are returned."""
    items = [(kind, comp) for kind, comp in profile.items.items() if comp.window is not None]
    if not items:
        return {}
    begin, end = span.bounds(day)
    windows: list[tuple[PayItemKind, Fraction, datetime, datetime]] = []
    current = begin.date()
    while current <= end.date():
        for kind, comp in items:
            assert comp.window is not None
            if applies_on(comp.window, current):
                start, stop = _intervals(comp.window, current)
                windows.append((kind, _value(comp), start, stop))
        current += timedelta(days=1)
    points = sorted({begin, end} | {p for _, _, s, e in windows for p in (s, e) if begin < p < end})
    minutes: dict[PayItemKind, int] = {}
    for a, b in itertools.pairwise(points):
        best = max(
            ((value, kind) for kind, value, s, e in windows if s <= a and b <= e),
            default=None,
            key=lambda pair: pair[0],
        )
        if best is not None:
            minutes[best[1]] = minutes.get(best[1], 0) + int((b - a).total_seconds()) // 60
    worked = int(hours * MINUTES_PER_HOUR)
    excess = sum(minutes.values()) - worked
    if excess > 0:
        for kind in sorted(minutes, key=lambda k: _value(profile.items[k])):
            cut = min(excess, minutes[kind])
            minutes[kind] -= cut
            excess -= cut
    return {kind: Decimal(m) / MINUTES_PER_HOUR for kind, m in minutes.items() if m > 0}
