"""The payroll calendar: Swedish holidays, pay days and the attest cut-off.

Public holidays and the de facto holidays (Midsommarafton, Julafton, Nyårsafton) come
from the maintained ``holidays`` package, not from a list kept here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def _swedish_holidays(year: int) -> dict[date, str]:
    calendar = holidays.country_holidays("SE", years=year, language="sv", categories=("public", "de_facto"))
    return dict(calendar.items())


def holiday_name(day: date) -> str | None:
    """The holiday's Swedish name, or None on an ordinary day."""
    return _swedish_holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    """A weekday that is no public or de facto holiday: also the banks' banking day (bankdag)."""
    return day.weekday() < 5 and holiday_name(day) is None


def next_banking_day(day: date) -> date:
    """The first banking day after ``day``."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


EXTRA_RUN_LEAD_BANKING_DAYS = 1
"""The bank's salary service (Bankgirot Löner) needs the payment file a banking day before the pay day."""


def extra_run_pay_date(made_on: date, lead: int = EXTRA_RUN_LEAD_BANKING_DAYS) -> date:
    """The pay date of an extra run made on ``made_on``: ``lead`` banking days after the file reaches the bank.

    The file reaches the bank on the first banking day on or after ``made_on``, so an extra run
    made on Sunday 6 December 2026 is paid on Tuesday the 8th, never on the Sunday itself.
    """
    delivered = made_on if is_working_day(made_on) else next_banking_day(made_on)
    return working_days_after(delivered, lead)


def working_days_after(day: date, count: int) -> date:
    """The ``count``-th working (banking) day after ``day``: Friday + 3 is Wednesday."""
    for _ in range(count):
        day = next_banking_day(day)
    return day


@cache
def _swedish_eves(year: int) -> dict[date, str]:
    calendar = holidays.country_holidays("SE", years=year, language="sv", categories=("bank", "optional"))
    return dict(calendar.items())


def eve_name(day: date) -> str | None:
    """Days before a holiday when work usually ends early ("från kl. 14.00"): shown, not counted as holidays."""
    return _swedish_eves(day.year).get(day)


@dataclass(frozen=True, order=True)
class PayPeriod:
    """A month whose pay is paid on the organisation's pay day in that month."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def parse(cls, text: str) -> PayPeriod:
        year, month = text.split("-")
        period = cls(int(year), int(month))
        if not 1 <= period.month <= 12 or not 1900 <= period.year <= 2200:
            raise ValueError(text)
        return period

    @classmethod
    def of(cls, day: date) -> PayPeriod:
        return cls(day.year, day.month)

    def next(self) -> PayPeriod:
        return PayPeriod(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> PayPeriod:
        return PayPeriod(self.year - (self.month == 1), 12 if self.month == 1 else self.month - 1)

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return self.next().first_day() - timedelta(days=1)


def months_after(day: date, months: int) -> date:
    """The same day ``months`` later; a day the month lacks overflows to the 1st of the next month.

    Three months at the same place from 31 January are full on 1 May (there is no 31 April).
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    try:
        return date(year, month, day.day)
    except ValueError:
        return date(year + month // 12, month % 12 + 1, 1)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day when it is shorter).

    The inverse of ``months_after`` for a stay already that long: ``months_after(months_before(d, n), n) <= d``.
    """
    index = day.month - 1 - months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def worked_month(period: PayPeriod, *, in_arrears: bool) -> PayPeriod:
    """The month whose time (hours, absence, supplements) ``period``'s pay settles: the one before when paid in arrears."""
    return period.previous() if in_arrears else period


def pay_date(period: PayPeriod, pay_day: int) -> date:
    """The regular pay day, moved back to the previous banking day when it falls on a weekend or holiday."""
    day = date(period.year, period.month, min(pay_day, period.last_day().day))
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def cutoff_date(period: PayPeriod, cutoff_day: int) -> date:
    """The last day an attest reaches ``period``'s pay ("underlag senast den 8:e")."""
    return date(period.year, period.month, min(cutoff_day, period.last_day().day))


def period_reached_by(approved_on: date, cutoff_day: int) -> PayPeriod:
    """The pay an item approved on ``approved_on`` reaches: this month's until the cut-off, else next month's."""
    period = PayPeriod.of(approved_on)
    return period if approved_on <= cutoff_date(period, cutoff_day) else period.next()


def may_close(period: PayPeriod, cutoff_day: int, today: date) -> bool:
    """Payroll closes a period only after its cut-off day: an attest on that day still reaches it."""
    return today > cutoff_date(period, cutoff_day)


def latest_closable(today: date, cutoff_day: int) -> PayPeriod:
    """The newest period whose cut-off has passed: the one payroll closes next (December's, early in January)."""
    period = PayPeriod.of(today)
    return period if may_close(period, cutoff_day, today) else period.previous()


def next_cutoff(today: date, cutoff_day: int) -> tuple[date, PayPeriod]:
    """The next cut-off still ahead (today counts) and the pay period it decides."""
    period = period_reached_by(today, cutoff_day)
    return cutoff_date(period, cutoff_day), period
