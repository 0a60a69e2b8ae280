"""The week's rules, with plain values: every violation named by its field, code and both languages."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.rates import agreement_profile
from backend.domain.time.codes import TimeCode, reportable_codes
from backend.domain.time.ob import ClockSpan
from backend.domain.time.rules import ReportedRow, locked_day_violations, summarise_week, week_violations
from backend.domain.time.schedule import DaySchedule, Terms, week_schedule
from backend.domain.time.weeks import days_of

MONDAY = date(2026, 11, 16)
FULL = Terms(Decimal(40), Decimal(100))
PART = Terms(Decimal(40), Decimal(50))
CODES = reportable_codes(agreement_profile())


def hours(*values: str | None) -> tuple[Decimal | None, ...]:
    cells = [Decimal(v) if v is not None else None for v in values]
    return tuple(cells + [None] * (7 - len(cells)))


def schedule(terms: Terms = FULL) -> tuple[DaySchedule, ...]:
    return week_schedule(days_of(MONDAY), [terms] * 7)


def found(rows: list[ReportedRow], terms: Terms = FULL) -> set[tuple[str, str]]:
    return {(v.field, v.code) for v in week_violations(rows, schedule(terms), CODES)}


def test_a_normal_week_has_no_violations() -> None:
    assert found([ReportedRow("work", hours("8", "8", "8", "8", "8"))]) == set()


def test_a_cell_above_24_hours_is_out_of_range() -> None:
    assert found([ReportedRow("work", hours("25"))]) == {("rows.0.hours.0", "time.hours_out_of_range")}


def test_no_more_than_24_hours_in_a_day_across_rows() -> None:
    rows = [ReportedRow("work", hours("12")), ReportedRow("simple_overtime", hours("12.25"))]
    assert found(rows) == {("days.0.hours", "time.day_over_24")}


def test_hours_are_quarter_hours() -> None:
    assert found([ReportedRow("work", hours("7.3"))]) == {("rows.0.hours.0", "time.not_quarter_hour")}
    assert found([ReportedRow("work", hours("7.75"))]) == set()


def test_negative_hours_are_refused() -> None:
    assert found([ReportedRow("work", hours("-1"))]) == {("rows.0.hours.0", "time.hours_out_of_range")}


def test_absence_plus_work_above_the_schedule_needs_overtime_codes() -> None:
    refused = [ReportedRow("work", hours("5")), ReportedRow("vab", hours("4"))]
    allowed = [
        ReportedRow("work", hours("4")),
        ReportedRow("vab", hours("4")),
        ReportedRow("qualified_overtime", hours("1")),
    ]
    assert found(refused) == {("rows.1.hours.0", "time.above_schedule")}
    assert found(allowed) == set()


def test_work_above_the_schedule_without_absence_is_allowed() -> None:
    assert found([ReportedRow("work", hours("9.5"))]) == set()


def test_absence_on_a_day_off_is_refused() -> None:
    assert found([ReportedRow("sick", hours(None, None, None, None, None, "8"))]) == {
        ("rows.0.hours.5", "time.absence_on_day_off")
    }


def test_mertid_only_for_part_time() -> None:
    row = [ReportedRow("mertid", hours("2"))]
    assert found(row, FULL) == {("rows.0.hours.0", "time.mertid_full_time")}
    assert found(row, PART) == set()


def test_codes_not_in_the_agreement_are_unknown() -> None:
    municipal = reportable_codes(agreement_profile("municipal"))
    violations = week_violations([ReportedRow("mertid", hours("2"))], schedule(PART), municipal)
    assert [(v.field, v.code) for v in violations] == [("rows.0.code", "time.unknown_code")]
    assert "mertid" in violations[0].message.en


def test_clock_times_must_be_quarter_hours_and_hold_the_hours() -> None:
    clock = (ClockSpan(time(8), time(12)), ClockSpan(time(8, 10), time(17)), None, None, None, None, None)
    assert found([ReportedRow("work", hours("8", "8"), clock)]) == {
        ("rows.0.hours.0", "time.hours_exceed_clock"),
        ("rows.0.clock.1", "time.clock_not_quarter_hour"),
    }


def test_clock_times_are_for_work_not_absence() -> None:
    clock = (ClockSpan(time(8), time(16)), None, None, None, None, None, None)
    assert found([ReportedRow("sick", hours("8"), clock)]) == {("rows.0.clock.0", "time.clock_on_absence")}


def test_hours_outside_the_employment_are_refused() -> None:
    days = days_of(MONDAY)
    starts_tuesday = week_schedule(days, [None] + [FULL] * 6)
    violations = week_violations([ReportedRow("work", hours("8", "8"))], starts_tuesday, CODES)
    assert [(v.field, v.code) for v in violations] == [("rows.0.hours.0", "time.not_employed")]


def test_every_violation_has_both_languages() -> None:
    rows = [ReportedRow("work", hours("25", "7.3")), ReportedRow("x", hours("1"))]
    for violation in week_violations(rows, schedule(), CODES):
        assert violation.message.en
        assert violation.message.sv
        assert violation.message.en != violation.message.sv


def test_a_locked_day_keeps_what_it_had() -> None:
    stored = [ReportedRow("work", hours("8", "8", "8", "8", "8"))]
    changed_tuesday = [ReportedRow("work", hours("8", "6", "8", "8", "8"))]
    changed_wednesday = [ReportedRow("work", hours("8", "8", "6", "8", "8"))]
    removed = [ReportedRow("work", hours("8", None, "8", "8", "8"))]
    locked = {1: date(2026, 11, 17)}
    assert [(v.field, v.code) for v in locked_day_violations(changed_tuesday, stored, locked)] == [
        ("rows.0.hours.1", "time.day_locked")
    ]
    assert locked_day_violations(changed_wednesday, stored, locked) == []
    assert [v.field for v in locked_day_violations(removed, stored, locked)] == ["days.1.hours"]


def test_the_summary_totals_days_codes_and_ob() -> None:
    clock = (None, None, None, None, ClockSpan(time(14), time(22)), None, None)
    rows = [
        ReportedRow("work", hours("8", "8", "8", "8", "8"), clock),
        ReportedRow("sick", hours(None, None, None, None, None)),
    ]
    summary = summarise_week(rows, schedule(), agreement_profile())
    assert summary.total == 40
    assert summary.expected == 40
    assert summary.difference == 0
    assert summary.by_code == {TimeCode.WORK: 40}
    assert summary.days[4].ob == {"ob_weekday_evening": Decimal(4)}


quarter_hours = st.integers(min_value=0, max_value=96).map(lambda q: Decimal(q) / 4)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(quarter_hours, min_size=7, max_size=7), min_size=1, max_size=4))
def test_ordinary_work_in_quarter_hours_breaks_only_the_24_hour_day(grid: list[list[Decimal]]) -> None:
    rows = [ReportedRow("work", tuple(row)) for row in grid]
    codes = {v.code for v in week_violations(rows, schedule(), CODES)}
    over = any(sum(row[d] for row in grid) > 24 for d in range(7))
    assert codes == ({"time.day_over_24"} if over else set())


@settings(max_examples=150, deadline=None)
@given(st.lists(quarter_hours, min_size=5, max_size=5), st.lists(quarter_hours, min_size=5, max_size=5))
def test_absence_and_work_within_the_schedule_is_always_accepted(work: list[Decimal], absence: list[Decimal]) -> None:
    scaled_work = [min(w, Decimal(8)) for w in work]
    scaled_absence = [min(a, Decimal(8) - w) for a, w in zip(absence, scaled_work, strict=True)]
    rows = [
        ReportedRow("work", (*scaled_work, None, None)),
        ReportedRow("sick", (*scaled_absence, None, None)),
    ]
    assert week_violations(rows, schedule(), CODES) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(quarter_hours, min_size=5, max_size=5), st.lists(st.integers(1, 32), min_size=5, max_size=5))
def test_absence_above_the_schedule_is_always_refused(work: list[Decimal], extra_quarters: list[int]) -> None:
    capped = [min(w, Decimal(8)) for w in work]
    absence = [Decimal(8) - w + Decimal(q) / 4 for w, q in zip(capped, extra_quarters, strict=True)]
    rows = [ReportedRow("work", (*capped, None, None)), ReportedRow("sick", (*absence, None, None))]
    codes = [v.code for v in week_violations(rows, schedule(), CODES)]
    assert codes.count("time.above_schedule") + codes.count("time.day_over_24") == 5
