"""Which terms apply on which days of a month, found from the days terms change, agrees with asking day by day."""

from __future__ import annotations

import calendar
import itertools
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.domain.payslip import EmploymentTerms, PayType
from backend.domain.payslip.inputs import Employee
from backend.domain.payslip.terms import (
    TermsHistory,
    first_day_without_terms,
    hourly_wages_in_month,
    salary_segments,
)

YEAR = 2026
_DAY = st.dates(date(2025, 11, 1), date(2026, 4, 30))


@st.composite
def _terms(draw: st.DrawFn) -> EmploymentTerms:
    hourly = draw(st.booleans())
    return EmploymentTerms(
        valid_from=draw(_DAY),
        pay_type=PayType.HOURLY if hourly else PayType.MONTHLY,
        weekly_hours=Decimal(40),
        recorded_on=draw(st.dates(date(2025, 1, 1), date(2026, 4, 30))),
        monthly_salary=None if hourly else Decimal(draw(st.integers(20_000, 60_000))),
        hourly_wage=Decimal(draw(st.sampled_from([180, 200, 220]))) if hourly else None,
    )


@st.composite
def _history(draw: st.DrawFn) -> TermsHistory:
    start = draw(_DAY)
    end = draw(st.none() | st.dates(start, date(2026, 5, 31)))
    terms = tuple(draw(st.lists(_terms(), max_size=5)))
    as_of = draw(st.dates(date(2025, 6, 1), date(2026, 6, 30)))
    return TermsHistory(Employee("e", date(1990, 1, 1), start, terms, employment_end=end), as_of)


def _days(month: int) -> list[date]:
    return [date(YEAR, month, d) for d in range(1, calendar.monthrange(YEAR, month)[1] + 1)]


@settings(max_examples=300, deadline=None)
@given(_history(), st.integers(1, 4))
def test_the_spans_cover_the_month_in_order_each_day_under_the_terms_it_has(history: TermsHistory, month: int) -> None:
    days = _days(month)
    spans = history.spans(days[0], days[-1])

    covered = [s.first_day + timedelta(n) for s in spans for n in range((s.last_day - s.first_day).days + 1)]
    assert covered == days
    for span in spans:
        for n in range((span.last_day - span.first_day).days + 1):
            day = span.first_day + timedelta(n)
            assert history.on(day) is span.terms
            assert history.employed(day) is span.employed
    for before, after in itertools.pairwise(spans):  # as long as possible: neighbours differ
        assert before.terms is None or before.terms is not after.terms


@settings(max_examples=300, deadline=None)
@given(_history(), st.integers(1, 4))
def test_monthly_salary_segments_hourly_wages_and_missing_terms_match_the_days(
    history: TermsHistory, month: int
) -> None:
    days = _days(month)
    monthly_days = [d for d in days if (t := history.on(d)) is not None and t.pay_type is PayType.MONTHLY]
    segments = salary_segments(history, YEAR, month)

    in_segments = [s.first_day + timedelta(n) for s in segments for n in range(s.days)]
    assert in_segments == monthly_days
    assert all(s.days_in_month == len(days) for s in segments)
    assert all(history.on(s.first_day) is s.terms is history.on(s.last_day) for s in segments)

    wages = []
    for day in days:
        terms = history.on(day)
        if terms is not None and terms.pay_type is PayType.HOURLY and terms.hourly_wage not in wages:
            wages.append(terms.hourly_wage)
    assert list(hourly_wages_in_month(history, YEAR, month)) == wages

    missing = [d for d in days if history.employed(d) and history.on(d) is None]
    assert first_day_without_terms(history, YEAR, month) == (missing[0] if missing else None)


def test_a_salary_change_in_the_middle_of_the_month_makes_two_segments() -> None:
    old = EmploymentTerms(date(2025, 1, 1), PayType.MONTHLY, Decimal(40), date(2025, 1, 1), Decimal(30_000))
    new = EmploymentTerms(date(2026, 3, 16), PayType.MONTHLY, Decimal(40), date(2026, 3, 1), Decimal(33_000))
    history = TermsHistory(Employee("e", date(1990, 1, 1), date(2025, 1, 1), (old, new)), date(2026, 3, 20))

    segments = salary_segments(history, 2026, 3)

    assert [(s.first_day.day, s.last_day.day, s.days, s.monthly_salary) for s in segments] == [
        (1, 15, 15, Decimal(30_000)),
        (16, 31, 16, Decimal(33_000)),
    ]
