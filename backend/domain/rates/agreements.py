"""Collective-agreement profiles (overtime, mertid, OB, vacation supplement) as data.

Profiles are not yearly figures: an organisation chooses one (``agreements.toml``)
and may define its own with the same shape via ``parse_agreements``.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, time
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from types import MappingProxyType

from backend.domain.errors import DomainError, RatesDataError
from backend.domain.rates.loader import TomlTable
from backend.domain.text import Text

_PACKAGE = __name__.rpartition(".")[0]


class PayItemKind(StrEnum):
    """Hour-based pay items an agreement prices."""

    SIMPLE_OVERTIME = "simple_overtime"
    QUALIFIED_OVERTIME = "qualified_overtime"
    MERTID = "mertid"
    OB_WEEKDAY_EVENING = "ob_weekday_evening"
    OB_NIGHT = "ob_night"
    OB_WEEKEND = "ob_weekend"
    OB_MAJOR_HOLIDAY = "ob_major_holiday"


class ObDays(StrEnum):
    """Which calendar days an unsocial-hours window applies to."""

    WEEKDAYS = "weekdays"  # Monday-Friday that are not public or de facto holidays
    EVERY_DAY = "every_day"
    WEEKENDS_AND_HOLIDAYS = "weekends_and_holidays"  # Saturday, Sunday, public and de facto holidays
    MAJOR_HOLIDAYS = "major_holidays"  # the holidays named in ``holidays``


@dataclass(frozen=True)
class ObWindow:
    """When an OB item applies, so unsocial hours can be derived from clock times.

    ``start``/``end`` are the time of day (``end`` None = midnight, i.e. 24:00);
    ``holidays`` are the Swedish names (as the ``holidays`` package gives them) of
    the major holidays, for ``MAJOR_HOLIDAYS``.
    """

    days: ObDays
    start: time
    end: time | None
    holidays: tuple[str, ...] = ()


@dataclass(frozen=True)
class HourlyCompensation:
    """Price of one hour: monthly salary / divisor, or hourly pay x share (exactly one is set)."""

    monthly_divisor: Decimal | None
    hourly_pay_share: Decimal | None
    hours: str
    window: ObWindow | None = None


@dataclass(frozen=True)
class AgreementChange:
    """New prices of some items from ``valid_from`` (a new agreement, often concluded after that date)."""

    valid_from: date
    prices: Mapping[PayItemKind, HourlyCompensation]


@dataclass(frozen=True)
class AgreementProfile:
    """``items`` are the prices before the first of ``changes``; ``on(day)`` gives the prices in force that day."""

    code: str
    name_en: str
    name_sv: str
    vacation_supplement_rate: Decimal | None  # None: the year's legal minimum
    overtime_threshold_hours_per_month: Decimal | None
    items: Mapping[PayItemKind, HourlyCompensation]
    changes: tuple[AgreementChange, ...] = ()

    def on(self, day: date) -> AgreementProfile:
        """The profile with the prices in force on ``day`` (a change dated back reprices paid months: retro)."""
        applied = [change for change in self.changes if change.valid_from <= day]
        if not applied:
            return self
        items = dict(self.items)
        for change in applied:
            items.update(change.prices)
        return replace(self, items=MappingProxyType(items), changes=())


class UnknownAgreementProfile(DomainError):
    code = "agreement.unknown_profile"


@dataclass(frozen=True)
class AgreementCatalogue:
    default_profile: str
    profiles: Mapping[str, AgreementProfile]

    def profile(self, code: str | None = None) -> AgreementProfile:
        key = self.default_profile if code is None else code
        try:
            return self.profiles[key]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise UnknownAgreementProfile(
                Text(
                    sv=f"Okänd avtalsprofil {key!r} (kända: {known}).",
                    en=f"Unknown agreement profile {key!r} (known: {known}).",
                ),
                field="agreement_profile",
            ) from None


def _clock(table: TomlTable, key: str) -> time | None:
    """``"HH:MM"``; ``"24:00"`` (midnight at the end of the day) gives None."""
    value = table.text(key)
    if value == "24:00":
        return None
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise table.error(key, f"expected a time HH:MM (00:00-24:00), got {value!r}") from None


def _window(table: TomlTable) -> ObWindow:
    try:
        days = ObDays(table.text("days"))
    except ValueError:
        known = ", ".join(d.value for d in ObDays)
        raise table.error("days", f"expected one of {known}") from None
    start = _clock(table, "from")
    if start is None:
        raise table.error("from", "a window cannot start at 24:00")
    end = _clock(table, "until")
    if end is not None and end <= start:
        raise table.error("until", "must be after 'from' (use 24:00 for midnight)")
    holidays = table.texts("holidays")
    if (days is ObDays.MAJOR_HOLIDAYS) != bool(holidays):
        raise table.error("holidays", "list the holidays exactly when days = major_holidays")
    table.done()
    return ObWindow(days=days, start=start, end=end, holidays=holidays)


def _items(items_table: TomlTable) -> dict[PayItemKind, HourlyCompensation]:
    items: dict[PayItemKind, HourlyCompensation] = {}
    for item_key in items_table.key_names():
        try:
            kind = PayItemKind(item_key)
        except ValueError:
            raise items_table.error(item_key, "unknown pay item") from None
        it = items_table.table(item_key)
        window_table = it.optional_table("window")
        comp = HourlyCompensation(
            monthly_divisor=it.optional_decimal("monthly_divisor"),
            hourly_pay_share=it.optional_decimal("hourly_pay_share"),
            hours=it.text("hours", ""),
            window=_window(window_table) if window_table is not None else None,
        )
        it.done()
        if (comp.monthly_divisor is None) == (comp.hourly_pay_share is None):
            raise it.error("monthly_divisor", "give exactly one of monthly_divisor and hourly_pay_share")
        if comp.monthly_divisor is not None and comp.monthly_divisor <= 0:
            raise it.error("monthly_divisor", "must be positive")
        items[kind] = comp
    items_table.done()
    return items


def _changes(profile: TomlTable, items: Mapping[PayItemKind, HourlyCompensation]) -> tuple[AgreementChange, ...]:
    """``[[profiles.X.changes]]``: ``valid_from`` and new prices of items the profile has (hours and windows stay)."""
    changes: list[AgreementChange] = []
    for table in profile.tables("changes"):
        valid_from = table.date_("valid_from")
        prices_table = table.table("items")
        prices = _items(prices_table)
        for kind, comp in prices.items():
            if kind not in items:
                raise prices_table.error(kind.value, "a change can only reprice an item the profile has")
            prices[kind] = replace(
                items[kind], monthly_divisor=comp.monthly_divisor, hourly_pay_share=comp.hourly_pay_share
            )
        table.done()
        changes.append(AgreementChange(valid_from, MappingProxyType(prices)))
    dates = [c.valid_from for c in changes]
    if dates != sorted(set(dates)):
        raise profile.error("changes", "list changes in date order, one per date")
    return tuple(changes)


def parse_agreements(text: str, *, source: str = "<agreements>") -> AgreementCatalogue:
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RatesDataError(Text(sv=f"{source}: ogiltig TOML: {exc}", en=f"{source}: not valid TOML: {exc}")) from exc
    root = TomlTable(data, "", source)
    default = root.text("default_profile")
    profiles_table = root.table("profiles")
    profiles: dict[str, AgreementProfile] = {}
    for code in profiles_table.key_names():
        p = profiles_table.table(code)
        items = _items(p.table("items"))
        changes = _changes(p, items) if p.has("changes") else ()
        profiles[code] = AgreementProfile(
            code=code,
            name_en=p.text("name_en"),
            name_sv=p.text("name_sv"),
            vacation_supplement_rate=p.optional_decimal("vacation_supplement_rate"),
            overtime_threshold_hours_per_month=p.optional_decimal("overtime_threshold_hours_per_month"),
            items=MappingProxyType(items),
            changes=changes,
        )
        p.done()
    profiles_table.done()
    root.done()
    if default not in profiles:
        raise root.error("default_profile", f"{default!r} is not a profile")
    return AgreementCatalogue(default_profile=default, profiles=MappingProxyType(profiles))


@functools.cache
def agreement_catalogue() -> AgreementCatalogue:
    """The profiles shipped with the package (cached)."""
    text = resources.files(_PACKAGE).joinpath("agreements.toml").read_text(encoding="utf-8")
    return parse_agreements(text, source="agreements.toml")


def agreement_profile(code: str | None = None) -> AgreementProfile:
    """A shipped profile by code; ``None`` gives the default (white-collar)."""
    return agreement_catalogue().profile(code)
