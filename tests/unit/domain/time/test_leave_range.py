"""Which leave periods may be asked for: the rule the leave service calls, with plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from backend.domain.time.vacation import MAX_REQUEST_DAYS, leave_range_problems

pytestmark = pytest.mark.clockless


@dataclass(frozen=True)
class Employed:
    start_date: date
    end_date: date | None = None


SINCE_2020 = Employed(date(2020, 1, 1))


def codes(first: date, last: date, employment: Employed = SINCE_2020) -> list[str]:
    return [problem.code for problem in leave_range_problems(first, last, employment)]


def test_a_week_of_working_days_within_the_employment_is_fine() -> None:
    assert codes(date(2026, 7, 6), date(2026, 7, 10)) == []


def test_a_last_day_before_the_first_is_the_only_problem_named() -> None:
    assert codes(date(2026, 7, 10), date(2026, 7, 6), Employed(date(2027, 1, 1))) == ["leave.range_reversed"]


def test_more_than_a_year_at_once_is_refused() -> None:
    first = date(2026, 1, 5)
    assert codes(first, date.fromordinal(first.toordinal() + MAX_REQUEST_DAYS)) == ["leave.range_too_long"]


def test_leave_before_the_start_or_after_the_end_of_the_employment_is_refused() -> None:
    assert codes(date(2026, 7, 6), date(2026, 7, 10), Employed(date(2026, 7, 8))) == ["leave.not_employed"]
    ends = Employed(date(2020, 1, 1), date(2026, 7, 7))
    assert codes(date(2026, 7, 6), date(2026, 7, 10), ends) == ["leave.not_employed"]


def test_a_period_of_only_weekends_and_holidays_has_no_days_to_take() -> None:
    assert codes(date(2026, 12, 25), date(2026, 12, 27)) == ["leave.no_working_days"]  # Christmas Day to Sunday


def test_the_problems_are_in_both_languages_on_the_field_they_concern() -> None:
    [problem] = leave_range_problems(date(2026, 12, 26), date(2026, 12, 27), SINCE_2020)
    assert problem.field == "first_day"
    assert problem.message.sv.startswith("Perioden har inga arbetsdagar")
    assert problem.message.en.startswith("The period has no working days")
