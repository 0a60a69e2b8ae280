"""When a week may be sent for attest, and the approver's warning when it falls short of the schedule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.domain.rates import agreement_profile
from backend.domain.time.codes import TimeCode, reportable_codes
from backend.domain.time.rules import ReportedRow, summarise_week
from backend.domain.time.schedule import Terms, week_schedule
from backend.domain.time.submission import below_schedule, submission_violations
from backend.domain.time.weeks import days_of

MONDAY = date(2026, 11, 16)
FULL = Terms(Decimal(40), Decimal(100))
PROFILE = agreement_profile()
CODES = reportable_codes(PROFILE)


def row(code: str, *values: str) -> ReportedRow:
    cells = [Decimal(v) if v else None for v in values]
    return ReportedRow(code, tuple(cells + [None] * (7 - len(cells))))


def codes_found(rows: list[ReportedRow], *, today: date = MONDAY, terms: Terms | None = FULL) -> list[str]:
    schedule = week_schedule(days_of(MONDAY), [terms] * 7)
    summary = summarise_week(rows, schedule, PROFILE)
    return [v.code for v in submission_violations(rows, schedule, CODES, summary, monday=MONDAY, today=today)]


def test_a_full_week_may_be_submitted_on_its_monday() -> None:
    assert codes_found([row("work", "8", "8", "8", "8", "8")]) == []


def test_a_week_that_has_not_begun_is_refused() -> None:
    assert codes_found([row("work", "8")], today=date(2026, 11, 15)) == ["time.week_in_future"]


def test_an_empty_week_with_expected_hours_is_refused() -> None:
    assert codes_found([]) == ["time.week_empty"]


def test_a_week_outside_the_employment_is_refused_as_such_not_as_empty() -> None:
    assert codes_found([], terms=None) == ["time.not_employed"]


def test_the_rows_own_rules_come_first_then_the_weeks() -> None:
    found = codes_found([row("work", "8.1")], today=date(2026, 11, 1))
    assert found == ["time.not_quarter_hour", "time.week_in_future"]


def test_work_and_absence_short_of_the_schedule_warn_the_approver() -> None:
    schedule = week_schedule(days_of(MONDAY), [FULL] * 7)
    summary = summarise_week([row("work", "8", "8", "8", "8"), row("sick", "", "", "", "", "4.5")], schedule, PROFILE)
    warning = below_schedule(summary)
    assert warning is not None
    assert warning.code == "time.below_schedule"
    assert warning.message.en == "The week has 36.50 h of work and absence of 40.00 h scheduled."
    assert warning.message.sv == "Veckan har 36.50 h arbete och frånvaro av 40.00 h schemalagd tid."


def test_overtime_does_not_make_up_for_hours_short_of_the_schedule() -> None:
    schedule = week_schedule(days_of(MONDAY), [FULL] * 7)
    rows = [row("work", "8", "8", "8", "8"), row(TimeCode.SIMPLE_OVERTIME.value, "", "", "", "", "8")]
    summary = summarise_week(rows, schedule, PROFILE)
    assert summary.total == summary.expected
    assert below_schedule(summary) is not None


def test_a_week_that_meets_its_schedule_has_no_warning() -> None:
    schedule = week_schedule(days_of(MONDAY), [FULL] * 7)
    summary = summarise_week([row("work", "8", "8", "8", "8", "8")], schedule, PROFILE)
    assert below_schedule(summary) is None
