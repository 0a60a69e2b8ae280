"""The week's rules: what a reported week must satisfy, each violation with a field and a message.

* hours are quarter hours (0.25), 0-24 in a cell, and at most 24 in a day across rows;
* a code must be one the organisation's agreement profile offers;
* hours only on days of the employment; absence only on days with scheduled hours;
* on a day with absence, absence + ordinary work must not exceed the day's schedule:
  hours beyond it are overtime or mertid (reported with those codes);
* mertid is for part-time employees (rates-2026.md: "extra hours for part-timers");
* clock times are on the quarter hour, belong to hours of work, and the hours fit in them;
* a locked day ("spärrad dag") keeps exactly what it had.

Field paths: ``rows.<row>.hours.<day>``, ``rows.<row>.clock.<day>``, ``rows.<row>.code`` and
``days.<day>.hours`` (day 0 = Monday). Every violation is reported, not just the first.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from backend.domain.errors import FieldError
from backend.domain.money import format_number
from backend.domain.rates import AgreementProfile, PayItemKind
from backend.domain.text import Text
from backend.domain.time.codes import CodeKind, TimeCode, kind_of, parse_code
from backend.domain.time.ob import ClockSpan, unsocial_hours
from backend.domain.time.schedule import DaySchedule

QUARTER = Decimal("0.25")
HUNDREDTH = Decimal("0.01")
DAY_MAX = Decimal(24)
DAYS = 7
_SV_DAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
_EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _no_clock() -> tuple[ClockSpan | None, ...]:
    return (None,) * DAYS


@dataclass(frozen=True)
class ReportedRow:
    """One row of a week: a code (as sent), hours Monday-Sunday, optional clock times, the project."""

    code: str
    hours: tuple[Decimal | None, ...]
    clock: tuple[ClockSpan | None, ...] = field(default_factory=_no_clock)
    project: str | None = None


def shown_hours(value: Decimal) -> Decimal:
    """Hours as they are shown, summed up and sent for attest: to the hundredth (7.5 -> 7.50)."""
    return value.quantize(HUNDREDTH)


def _h(value: Decimal, lang: str) -> str:
    return f"{format_number(shown_hours(value), lang=lang)} h"


def _day(day: date, lang: str) -> str:
    names = _EN_DAYS if lang == "en" else _SV_DAYS
    return f"{names[day.weekday()]} {day.isoformat()}"


def _valid(hours: Decimal | None) -> Decimal:
    return hours if hours is not None and 0 < hours <= DAY_MAX else Decimal(0)


def _on_quarter(span: ClockSpan) -> bool:
    return all(t.minute % 15 == 0 and t.second == 0 and t.microsecond == 0 for t in (span.start, span.end))


def _cell_violations(i: int, d: int, row: ReportedRow, code: TimeCode | None, day: DaySchedule) -> list[FieldError]:
    hours = row.hours[d]
    span = row.clock[d]
    where = f"rows.{i}.hours.{d}"
    found: list[FieldError] = []
    if hours is None or hours == 0:
        if span is not None:
            found.append(
                FieldError(
                    f"rows.{i}.clock.{d}",
                    "time.clock_without_hours",
                    Text(
                        sv=f"{_day(day.day, 'sv')}: klockslag är angivna men inga timmar.",
                        en=f"{_day(day.day, 'en')}: clock times are given but no hours.",
                    ),
                )
            )
        return found
    if hours < 0 or hours > DAY_MAX:
        return [
            FieldError(
                where,
                "time.hours_out_of_range",
                Text(
                    sv=f"{_day(day.day, 'sv')}: {format_number(hours, lang='sv')} timmar; ett dygn har 0 till 24 timmar.",
                    en=f"{_day(day.day, 'en')}: {format_number(hours, lang='en')} hours; a day has 0 to 24 hours.",
                ),
            )
        ]
    if hours % QUARTER:
        found.append(
            FieldError(
                where,
                "time.not_quarter_hour",
                Text(
                    sv=f"{_day(day.day, 'sv')}: rapportera hela kvartar (t.ex. 7,25 eller 7,5), inte "
                    f"{format_number(hours, lang='sv')}.",
                    en=f"{_day(day.day, 'en')}: report whole quarter hours (e.g. 7.25 or 7.5), not {hours}.",
                ),
            )
        )
    if not day.employed:
        found.append(
            FieldError(
                where,
                "time.not_employed",
                Text(
                    sv=f"{_day(day.day, 'sv')} ligger utanför din anställning.",
                    en=f"{_day(day.day, 'en')} is outside your employment.",
                ),
            )
        )
        return found
    kind = kind_of(code) if code is not None else None
    if kind is CodeKind.ABSENCE and day.hours == 0:
        found.append(
            FieldError(
                where,
                "time.absence_on_day_off",
                Text(
                    sv=f"{_day(day.day, 'sv')} har ingen schemalagd tid, så det finns ingen frånvaro att rapportera.",
                    en=f"{_day(day.day, 'en')} has no scheduled hours, so there is no absence to report.",
                ),
            )
        )
    if code is TimeCode.MERTID and not day.part_time:
        found.append(
            FieldError(
                where,
                "time.mertid_full_time",
                Text(
                    sv="Mertid gäller deltidsanställda; rapportera tid utöver schemat som övertid.",
                    en="Mertid is for part-time employees; report hours beyond the schedule as overtime.",
                ),
            )
        )
    if span is not None:
        if kind is CodeKind.ABSENCE:
            found.append(
                FieldError(
                    f"rows.{i}.clock.{d}",
                    "time.clock_on_absence",
                    Text(
                        sv="Klockslag anges för arbetad tid, inte för frånvaro.",
                        en="Clock times belong to hours worked, not to absence.",
                    ),
                )
            )
        elif not _on_quarter(span):
            found.append(
                FieldError(
                    f"rows.{i}.clock.{d}",
                    "time.clock_not_quarter_hour",
                    Text(
                        sv="Ange klockslag på hel kvart (t.ex. 07:45).",
                        en="Give clock times on the quarter hour (e.g. 07:45).",
                    ),
                )
            )
        elif hours > span.hours():
            found.append(
                FieldError(
                    where,
                    "time.hours_exceed_clock",
                    Text(
                        sv=f"{_day(day.day, 'sv')}: {_h(hours, 'sv')} ryms inte mellan "
                        f"{span.start:%H:%M} och {span.end:%H:%M} ({_h(span.hours(), 'sv')}).",
                        en=f"{_day(day.day, 'en')}: {_h(hours, 'en')} do not fit between "
                        f"{span.start:%H:%M} and {span.end:%H:%M} ({_h(span.hours(), 'en')}).",
                    ),
                )
            )
    return found


def week_violations(
    rows: Sequence[ReportedRow], schedule: Sequence[DaySchedule], codes: Collection[TimeCode]
) -> list[FieldError]:
    """Every rule the reported ``rows`` break, given the week's ``schedule`` and the codes offered."""
    found: list[FieldError] = []
    parsed: list[TimeCode | None] = []
    for i, row in enumerate(rows):
        code = parse_code(row.code)
        if code is None or code not in codes:
            offered = ", ".join(c.value for c in codes)
            found.append(
                FieldError(
                    f"rows.{i}.code",
                    "time.unknown_code",
                    Text(
                        sv=f"{row.code!r} är ingen tidkod i ert avtal (koder: {offered}).",
                        en=f"{row.code!r} is not a time code of your agreement (codes: {offered}).",
                    ),
                )
            )
            code = None
        parsed.append(code)
        for d in range(DAYS):
            found += _cell_violations(i, d, row, code, schedule[d])
    for d, day in enumerate(schedule):
        total = sum((_valid(row.hours[d]) for row in rows), Decimal(0))
        if total > DAY_MAX:
            found.append(
                FieldError(
                    f"days.{d}.hours",
                    "time.day_over_24",
                    Text(
                        sv=f"{_day(day.day, 'sv')}: {_h(total, 'sv')} rapporterade; ett dygn har högst 24 timmar.",
                        en=f"{_day(day.day, 'en')}: {_h(total, 'en')} reported; a day has at most 24 hours.",
                    ),
                )
            )
            continue
        counted = [
            (i, _valid(row.hours[d]))
            for i, row in enumerate(rows)
            if parsed[i] is not None and kind_of(parsed[i]) in (CodeKind.WORK, CodeKind.ABSENCE)  # type: ignore[arg-type]
        ]
        absence = sum(
            (h for i, h in counted if kind_of(parsed[i]) is CodeKind.ABSENCE),  # type: ignore[arg-type]
            Decimal(0),
        )
        within = sum((h for _, h in counted), Decimal(0))
        if absence > 0 and day.hours > 0 and within > day.hours:
            last = max(i for i, h in counted if h > 0)
            found.append(
                FieldError(
                    f"rows.{last}.hours.{d}",
                    "time.above_schedule",
                    Text(
                        sv=f"{_day(day.day, 'sv')}: frånvaro och arbete blir {_h(within, 'sv')}, mer än dagens schema "
                        f"på {_h(day.hours, 'sv')}. Rapportera tid utöver schemat som övertid eller mertid.",
                        en=f"{_day(day.day, 'en')}: absence and work add up to {_h(within, 'en')}, more than the "
                        f"day's schedule of {_h(day.hours, 'en')}. Report hours beyond the schedule as overtime "
                        "or mertid.",
                    ),
                )
            )
    return found


def _entries(rows: Sequence[ReportedRow], d: int) -> list[tuple[str, str, Decimal, str]]:
    return sorted(
        (row.code, row.project or "", _valid(row.hours[d]), str(row.clock[d] or ""))
        for row in rows
        if _valid(row.hours[d]) > 0
    )


def locked_day_violations(
    rows: Sequence[ReportedRow],
    stored: Sequence[ReportedRow],
    locked: Mapping[int, date],
) -> list[FieldError]:
    """Changes on locked days (``locked``: day index -> date); what was there must stay as it was."""
    found: list[FieldError] = []
    for d, day in sorted(locked.items()):
        before = _entries(stored, d)
        if _entries(rows, d) == before:
            continue
        en = f"{_day(day, 'en')} is locked by payroll and cannot be changed."
        sv = f"{_day(day, 'sv')} är spärrad av lönekontoret och kan inte ändras."
        cells = [
            i
            for i, row in enumerate(rows)
            if _valid(row.hours[d]) > 0
            and (row.code, row.project or "", _valid(row.hours[d]), str(row.clock[d] or "")) not in before
        ]
        if cells:
            found += [FieldError(f"rows.{i}.hours.{d}", "time.day_locked", Text(sv=sv, en=en)) for i in cells]
        else:
            found.append(FieldError(f"days.{d}.hours", "time.day_locked", Text(sv=sv, en=en)))
    return found


@dataclass(frozen=True)
class DaySummary:
    day: date
    scheduled: Decimal
    total: Decimal
    ordinary: Decimal
    extra: Decimal
    absence: Decimal
    ob: dict[PayItemKind, Decimal]


@dataclass(frozen=True)
class WeekSummary:
    days: tuple[DaySummary, ...]
    total: Decimal
    expected: Decimal
    by_code: dict[TimeCode, Decimal]
    ob: dict[PayItemKind, Decimal]

    @property
    def difference(self) -> Decimal:
        return self.total - self.expected


def row_ob(row: ReportedRow, d: int, day: date, profile: AgreementProfile) -> dict[PayItemKind, Decimal]:
    """OB hours a row earns on a day: only ordinary work and mertid with clock times (see ``ob``)."""
    code = parse_code(row.code)
    span = row.clock[d]
    hours = _valid(row.hours[d])
    if span is None or hours == 0 or code not in (TimeCode.WORK, TimeCode.MERTID):
        return {}
    return unsocial_hours(day, span, hours, profile)


def summarise_week(
    rows: Sequence[ReportedRow], schedule: Sequence[DaySchedule], profile: AgreementProfile
) -> WeekSummary:
    """Day totals, totals per code and OB, and the week against its expected hours (for valid rows)."""
    days: list[DaySummary] = []
    by_code: dict[TimeCode, Decimal] = {}
    week_ob: dict[PayItemKind, Decimal] = {}
    for d, day in enumerate(schedule):
        sums = {kind: Decimal(0) for kind in CodeKind}
        ob: dict[PayItemKind, Decimal] = {}
        for row in rows:
            code = parse_code(row.code)
            hours = _valid(row.hours[d])
            if code is None or hours == 0:
                continue
            sums[kind_of(code)] += hours
            by_code[code] = by_code.get(code, Decimal(0)) + hours
            for item, h in row_ob(row, d, day.day, profile).items():
                ob[item] = ob.get(item, Decimal(0)) + h
                week_ob[item] = week_ob.get(item, Decimal(0)) + h
        days.append(
            DaySummary(
                day=day.day,
                scheduled=day.hours,
                total=sum(sums.values(), Decimal(0)),
                ordinary=sums[CodeKind.WORK],
                extra=sums[CodeKind.EXTRA],
                absence=sums[CodeKind.ABSENCE],
                ob=ob,
            )
        )
    return WeekSummary(
        days=tuple(days),
        total=sum((d.total for d in days), Decimal(0)),
        expected=sum((d.hours for d in schedule), Decimal(0)),
        by_code=by_code,
        ob=week_ob,
    )
