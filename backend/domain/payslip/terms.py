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

    def employed(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def on(self, day: date) -> EmploymentTerms | None:
        """The terms in force on ``day``, or None when not employed then or no terms cover it."""
        if not self.employed(day):
            return None
        index = bisect.bisect_right(self._starts, day) - 1
        return self._terms[index] if index >= 0 else None


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


def month_days(year: int, month: int) -> tuple[date, ...]:
    count = calendar.monthrange(year, month)[1]
    first = date(year, month, 1)
    return tuple(first + timedelta(days=i) for i in range(count))


def salary_segments(history: TermsHistory, year: int, month: int) -> tuple[SalarySegment, ...]:
    """The parts of the month paid as monthly salary (hourly terms and days not employed are left out)."""
    days = month_days(year, month)
    segments: list[SalarySegment] = []
    current: EmploymentTerms | None = None
    first: date | None = None
    last: date | None = None

    def close() -> None:
        if current is not None and first is not None and last is not None:
            segments.append(SalarySegment(first, last, current, (last - first).days + 1, len(days)))

    for day in days:
        terms = history.on(day)
        if terms is not None and terms.pay_type is not PayType.MONTHLY:
            terms = None
        if terms is not current or (last is not None and day != last + timedelta(days=1)):
            close()
            current, first = terms, day
        last = day
    close()
    return tuple(segments)


def fixed_salary_for_month(history: TermsHistory, year: int, month: int) -> Decimal:
    """The monthly salary the month is worth under the known terms (sum of the prorated parts)."""
    return sum((s.amount for s in salary_segments(history, year, month)), Decimal("0.00"))


def hourly_wages_in_month(history: TermsHistory, year: int, month: int) -> tuple[Decimal, ...]:
    """The distinct hourly wages in force on the employed days of the month, in date order."""
    wages: list[Decimal] = []
    for day in month_days(year, month):
        terms = history.on(day)
        if terms is not None and terms.pay_type is PayType.HOURLY:
            assert terms.hourly_wage is not None
            if terms.hourly_wage not in wages:
                wages.append(terms.hourly_wage)
    return tuple(wages)


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def last_day_of(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
