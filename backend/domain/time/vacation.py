"""Vacation days: the yearly entitlement and what is left after approved and pending requests.

A requested day counts when it is a working day in the Swedish calendar (weekends, public
and de facto holidays are free anyway). Days count in the calendar year they fall in
(assumption: many employers use another vacation year; the material does not say).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from backend.domain.calendar import is_working_day
from backend.domain.errors import FieldError
from backend.domain.text import Text

DEFAULT_VACATION_DAYS = Decimal(25)
"""Semesterlagen (1977:480) 4 §: 25 days a year, the law's minimum (not a yearly figure)."""

MAX_REQUEST_DAYS = 366

WORKING_DAYS_PER_WEEK = 5
"""A leave day is the contractual week's hours spread over Monday-Friday (assumption: the material
gives no schedule for requested leave; a time week reports the real hours where they differ)."""


def working_days(first: date, last: date) -> list[date]:
    """The working days from ``first`` to ``last`` (inclusive): those a leave request takes."""
    found = []
    day = first
    while day <= last:
        if is_working_day(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def vacation_days(first: date, last: date, year: int | None = None) -> int:
    """Working days from ``first`` to ``last`` (inclusive), optionally only those in ``year``."""
    if year is not None:
        first, last = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
    return len(working_days(first, last))


@dataclass(frozen=True)
class VacationBalance:
    year: int
    entitlement: Decimal
    approved: Decimal
    pending: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.entitlement - self.approved - self.pending


def balance(
    year: int,
    entitlement: Decimal,
    approved: Iterable[tuple[date, date]],
    pending: Iterable[tuple[date, date]],
) -> VacationBalance:
    return VacationBalance(
        year=year,
        entitlement=entitlement,
        approved=Decimal(sum(vacation_days(a, b, year) for a, b in approved)),
        pending=Decimal(sum(vacation_days(a, b, year) for a, b in pending)),
    )


@dataclass(frozen=True)
class PayslipVacation:
    """The vacation balance a payslip shows (semestersaldo), in the calendar year of the pay period.

    ``paid_days`` is the year's entitlement (payroll's figure, else the law's 25). ``taken`` are
    approved days up to the end of the pay period, ``planned`` approved days after it plus days
    waiting for attest; ``remaining`` is what is left after both, as on the leave page.
    ``unpaid_days``: the law gives 25 vacation days; those the employee has not earned pay for
    (an entitlement below 25, typically the first year) are unpaid. Saved days (sparade dagar)
    are not recorded by the product: ``saved_days`` is None, and the payslip says so.
    """

    year: int
    paid_days: Decimal
    taken: Decimal
    planned: Decimal
    remaining: Decimal
    unpaid_days: Decimal
    saved_days: Decimal | None = None


def payslip_vacation(
    year: int,
    entitlement: Decimal,
    approved: Iterable[tuple[date, date]],
    pending: Iterable[tuple[date, date]],
    *,
    as_of: date,
) -> PayslipVacation:
    """Split the year's approved days at ``as_of`` into taken and planned; the rest as ``balance``."""
    approved = list(approved)
    found = balance(year, entitlement, approved, pending)
    taken = Decimal(sum(vacation_days(a, min(b, as_of), year) for a, b in approved if a <= as_of))
    return PayslipVacation(
        year=year,
        paid_days=found.entitlement,
        taken=taken,
        planned=found.approved - taken + found.pending,
        remaining=found.remaining,
        unpaid_days=max(DEFAULT_VACATION_DAYS - found.entitlement, Decimal(0)),
    )


def shown_days(value: Decimal) -> Decimal:
    """Days as the balance and a request show them: to the hundredth (a half day is 0.50)."""
    return value.quantize(Decimal("0.01"))


class EmploymentDates(Protocol):
    """The dates of an employment (an employee row or plain values)."""

    @property
    def start_date(self) -> date: ...

    @property
    def end_date(self) -> date | None: ...


def leave_range_problems(first: date, last: date, employment: EmploymentDates) -> list[FieldError]:
    """What is wrong with asking for leave from ``first`` to ``last``: reversed, too long, outside the
    employment, or no working day in it (only weekends and holidays)."""
    errors = []
    if last < first:
        return [
            FieldError(
                "last_day",
                "leave.range_reversed",
                Text(
                    sv="Sista dagen får inte vara före första dagen.",
                    en="The last day must not be before the first.",
                ),
            )
        ]
    if (last - first).days >= MAX_REQUEST_DAYS:
        errors.append(
            FieldError(
                "last_day",
                "leave.range_too_long",
                Text(
                    sv=f"Ansök om högst {MAX_REQUEST_DAYS} dagar åt gången.",
                    en=f"Apply for at most {MAX_REQUEST_DAYS} days at a time.",
                ),
            )
        )
    if first < employment.start_date or (employment.end_date is not None and last > employment.end_date):
        errors.append(
            FieldError(
                "first_day",
                "leave.not_employed",
                Text(sv="Ledigheten ligger utanför din anställning.", en="The leave is outside your employment."),
            )
        )
    if not errors and vacation_days(first, last) == 0:
        errors.append(
            FieldError(
                "first_day",
                "leave.no_working_days",
                Text(
                    sv="Perioden har inga arbetsdagar (bara helger och helgdagar).",
                    en="The period has no working days (only weekends and holidays).",
                ),
            )
        )
    return errors
