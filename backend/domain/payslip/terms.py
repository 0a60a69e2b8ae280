"""Which employment terms apply on a day, and the fixed salary a month is worth under them.

The history is effective-dated: the row with the latest ``valid_from`` on or
before a day applies; of rows with the same ``valid_from`` the one recorded last
wins (a correction). Rows recorded after the computation date are not known yet.

Part months (a change of salary or the employment starting or ending inside the
month) are paid by calendar days: monthly salary x days / days in the month,
rounded to öre per part (an assumption: the material does not name a method;
calendar-day proration is the common Swedish one, "kalenderdagsmetoden").
"""

from __future__ import annotations

import bisect
import calendar
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from backend.domain.money import round_ore
from backend.domain.payslip.inputs import Employee, EmploymentTerms, PayType


class TermsHistory:
    """The employment terms known on ``as_of``, looked up by day."""

    def __init__(self, employee: Employee, as_of: date) -> None:
        known = [t for t in employee.terms if t.recorded_on <= as_of]
        known.sort(key=lambda t: (t.valid_from, t.recorded_on))
        self._terms = tuple(known)
        self._starts = tuple(t.valid_from for t in known)
        self.start = employee.employment_start
        self.end = employee.employment_end
        self._months: dict[tuple[int, int], tuple[TermsSpan, ...]] = {}
        """Spans per month, kept: the salary and the missing-terms check both ask for the pay month."""

    def employed(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def on(self, day: date) -> EmploymentTerms | None:
        """The terms in force on ``day``, or None when not employed then or no terms cover it."""
        if not self.employed(day):
            return None
        index = bisect.bisect_right(self._starts, day) - 1
        return self._terms[index] if index >= 0 else None

    def month_spans(self, year: int, month: int) -> tuple[TermsSpan, ...]:
        """``spans`` of a calendar month."""
        found = self._months.get((year, month))
        if found is None:
            found = self._months[(year, month)] = self.spans(date(year, month, 1), last_day_of(year, month))
        return found

    def spans(self, first: date, last: date) -> tuple[TermsSpan, ...]:
        """``first``..``last`` cut into runs of days under the same terms, in order.

        What ``on`` says changes only where some terms start or the employment starts or
        ends, so the runs are found from those days alone (a payroll of thousands asks
        this for every employee; day by day it was a tenth of the work). Days not
        employed, and employed days no terms cover yet, are runs with ``terms`` None,
        kept apart (``employed`` tells which).
        """
        cuts = {first}
        changes = [*self._starts, self.start]
        if self.end is not None:
            changes.append(self.end + _ONE_DAY)
        cuts.update(day for day in changes if first < day <= last)
        ordered = sorted(cuts)
        runs: list[TermsSpan] = []
        for index, start in enumerate(ordered):
            stop = ordered[index + 1] - _ONE_DAY if index + 1 < len(ordered) else last
            terms = self.on(start)
            if runs and terms is not None and runs[-1].terms is terms:
                runs[-1] = TermsSpan(runs[-1].first_day, stop, terms, True)
            else:
                runs.append(TermsSpan(start, stop, terms, self.employed(start)))
        return tuple(runs)


_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class TermsSpan:
    """Consecutive days under one set of terms (None: not employed then, or no terms known)."""

    first_day: date
    last_day: date
    terms: EmploymentTerms | None
    employed: bool


@dataclass(frozen=True)
class SalarySegment:
    """Consecutive days of one month under the same monthly-salary terms."""

    first_day: date
    last_day: date
    terms: EmploymentTerms
    days: int
    days_in_month: int

    @property
    def whole_month(self) -> bool:
        return self.days == self.days_in_month

    @property
    def monthly_salary(self) -> Decimal:
        assert self.terms.monthly_salary is not None
        return self.terms.monthly_salary

    @property
    def amount(self) -> Decimal:
        if self.whole_month:
            return round_ore(self.monthly_salary)
        return round_ore(Fraction(self.monthly_salary) * self.days / self.days_in_month)


def salary_segments(history: TermsHistory, year: int, month: int) -> tuple[SalarySegment, ...]:
    """The parts of the month paid as monthly salary (hourly terms and days not employed are left out)."""
    days_in_month = last_day_of(year, month).day
    return tuple(
        SalarySegment(
            span.first_day, span.last_day, span.terms, (span.last_day - span.first_day).days + 1, days_in_month
        )
        for span in _month_spans(history, year, month)
        if span.terms is not None and span.terms.pay_type is PayType.MONTHLY
    )


def first_day_without_terms(history: TermsHistory, year: int, month: int) -> date | None:
    """The month's first employed day that no employment terms cover (no salary can be computed for it)."""
    for span in _month_spans(history, year, month):
        if span.employed and span.terms is None:
            return span.first_day
    return None


def fixed_salary_for_month(history: TermsHistory, year: int, month: int) -> Decimal:
    """The monthly salary the month is worth under the known terms (sum of the prorated parts)."""
    return sum((s.amount for s in salary_segments(history, year, month)), Decimal("0.00"))


def hourly_wages_in_month(history: TermsHistory, year: int, month: int) -> tuple[Decimal, ...]:
    """The distinct hourly wages in force on the employed days of the month, in date order."""
    wages: list[Decimal] = []
    for span in _month_spans(history, year, month):
        terms = span.terms
        if terms is not None and terms.pay_type is PayType.HOURLY:
            assert terms.hourly_wage is not None
            if terms.hourly_wage not in wages:
                wages.append(terms.hourly_wage)
    return tuple(wages)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _month_spans(history: TermsHistory, year: int, month: int) -> tuple[TermsSpan, ...]:
    return history.month_spans(year, month)


@functools.lru_cache(maxsize=1024)
def last_day_of(year: int, month: int) -> date:
    """The month's last day (kept: a payroll of thousands asks for the same few months)."""
    return date(year, month, calendar.monthrange(year, month)[1])
